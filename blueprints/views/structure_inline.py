"""Editor: structure inline (being built; its routes join the editor's through `urlpatterns`)."""

urlpatterns: list = []
