"""Live co-editing (issue 16): every open editor of a blueprint sees the others' changes and
who else is there, over a WebSocket (Django Channels).

- `broadcast`: after a write commits, "blueprint N changed" goes to the blueprint's group.
  Ids and numbers only, never markup: what a reader sees depends on their role, so each
  client fetches its own fragments over HTTP (`changes`, `blueprints.views.live`).
- `changes`: what changed in a blueprint since a moment, read from the content history.
- `consumers`: the socket: who may open it, presence, and relaying the group's messages.
- `routing`: the socket's URL, `/ws/blueprints/<pk>/` (config/asgi.py).
"""
