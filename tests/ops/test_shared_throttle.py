"""The public form's hourly limit holds across app processes when REDIS_URL is set.

Two gunicorn servers (one worker each, as two machines behind a load balancer would be)
share one database and one Redis; one client address posts twice the limit, alternating
between them. With the local-memory cache each process counts alone, so the same posts
save twice the limit: the second test shows this test can fail.
"""

import secrets
from http import HTTPStatus

from tests.ops.conftest import (
    Browser,
    app_environment,
    csrf_token,
    loopback_address,
    query_value,
    run_script,
)

LIMIT = 4

CREATE_CONSULTATION = """
import datetime, json
from consultations.models import Consultation, Idea
from localities.models import Locality

locality = Locality.objects.create(name="Throttle {tag}", slug="throttle-{tag}", area="Eastmere")
idea = Idea.objects.create(locality=locality, title="Stay and play in the park")
consultation = Consultation.objects.create(
    locality=locality, title="Drop-in", held_on=datetime.date(2026, 3, 12),
    audience="community", method="drop_in", token="{token}",
)
consultation.ideas.add(idea)
print(json.dumps({{"idea": idea.pk}}))
"""

COUNT_RESPONSES = """
SELECT count(*) FROM consultations_response r
JOIN consultations_consultation c ON c.id = r.consultation_id
WHERE c.token = %s
"""


def post_twice_the_limit(
    app_database: str, app_servers, *, redis_url: str | None, address: str
) -> tuple[list[int], int]:
    """Post 2 x LIMIT valid responses from `address`, alternating between two servers;
    return the statuses in order and how many responses were saved."""
    token = secrets.token_urlsafe(32)
    tag = secrets.token_hex(4)
    idea = run_script(CREATE_CONSULTATION.format(token=token, tag=tag), database_url=app_database)
    env = app_environment(
        DATABASE_URL=app_database,
        REDIS_URL=redis_url,
        CONSULT_SUBMISSIONS_PER_HOUR=str(LIMIT),
        DEBUG="1",
    )
    servers = [app_servers(env), app_servers(env)]
    form = f"/consult/{token}/"
    browsers = [Browser(port=server.port, source_address=address) for server in servers]
    tokens = []
    for browser in browsers:
        page = browser.get(form)
        assert page.status == HTTPStatus.OK, page.body[:500]
        tokens.append(csrf_token(page))
    statuses = []
    for number in range(2 * LIMIT):
        which = number % 2
        answer = browsers[which].post(
            form,
            {
                "csrfmiddlewaretoken": tokens[which],
                "group": "parent",
                f"support_{idea['idea']}": "4",
                f"comment_{idea['idea']}": f"Response {number}",
                "website": "",  # the honeypot, left empty as people leave it
                # Each response from a form of its own, with its own one-time token.
                "submission_token": secrets.token_urlsafe(24),
            },
        )
        statuses.append(answer.status)
    saved = query_value(app_database, COUNT_RESPONSES, token)
    return statuses, saved


def test_the_limit_holds_across_two_processes_sharing_redis(app_database, app_servers, test_redis):
    address = loopback_address()
    test_redis.forget_afterwards(f"*consult-submissions:{address}")
    statuses, saved = post_twice_the_limit(
        app_database, app_servers, redis_url=test_redis.url, address=address
    )
    assert saved == LIMIT
    assert statuses.count(HTTPStatus.FOUND) == LIMIT, statuses
    assert statuses.count(HTTPStatus.TOO_MANY_REQUESTS) == LIMIT, statuses
    assert statuses[-LIMIT:] == [HTTPStatus.TOO_MANY_REQUESTS] * LIMIT


def test_the_local_memory_cache_lets_each_process_count_alone(app_database, app_servers):
    statuses, saved = post_twice_the_limit(
        app_database, app_servers, redis_url=None, address=loopback_address()
    )
    assert saved == 2 * LIMIT
    assert HTTPStatus.TOO_MANY_REQUESTS not in statuses
