"""PostgreSQL restarted under a running application and worker: the next request and
the next task reconnect by themselves (persistent connections with health checks)."""

from __future__ import annotations

import subprocess

import pytest
from celery import Celery

from pmo.core import roles
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.reliability.servers import (
    PG_BIN,
    PrivatePostgres,
    PrivateRedis,
    Processes,
    app_env,
    browser_session,
    shared_test_database_url,
    wait_until,
)

pytestmark = pytest.mark.reliability


@pytest.fixture
def servers(transactional_db, tmp_path):
    postgres = PrivatePostgres()
    redis = PrivateRedis(tmp_path)
    processes = Processes(tmp_path)
    try:
        postgres.init()
        postgres.start()
        postgres.createdb()
        redis.start()
        yield postgres, redis, processes
    finally:
        processes.stop_all()
        redis.stop()
        postgres.stop()


def copy_test_database(postgres: PrivatePostgres) -> None:
    """The migrated test database (with the test's rows) into the private cluster."""
    dump = subprocess.run(
        [f"{PG_BIN}/pg_dump", "--format=custom", "--no-owner", shared_test_database_url()],
        capture_output=True,
        check=True,
        timeout=120,
    )
    subprocess.run(
        [f"{PG_BIN}/pg_restore", "--no-owner", "--exit-on-error", "--dbname", postgres.url],
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=120,
    )


def test_the_application_and_a_worker_reconnect_after_a_database_restart(servers, tmp_path):
    postgres, redis, processes = servers
    user = UserFactory(username="rel-pmo", groups=[roles.PMO_STAFF])
    PersonFactory(user=user)
    ProjectFactory(code="REL-3", name="重启项目", name_en="Restart project")
    signed_in = browser_session("", user)  # its session row is copied with the data
    copy_test_database(postgres)

    env = app_env(
        tmp_path,
        DATABASE_URL=postgres.url,
        DJANGO_CONN_MAX_AGE="600",
        REDIS_URL=redis.url,
        CELERY_BROKER_URL=redis.url,
    )
    base, app_log = processes.gunicorn(env)
    signed_in.base_url = base
    _worker, worker_log = processes.worker(env)
    client = Celery(broker=redis.url)

    def project_list_shows_the_project() -> bool:
        response = signed_in.get(base + "/projects/", timeout=120)
        assert response.status_code == 200, app_log.read_text()[-3000:]
        return "REL-3" in response.text

    def task_succeeds(task_id: str) -> bool:
        return f"[{task_id}] succeeded" in worker_log.read_text(errors="replace")

    assert project_list_shows_the_project()
    first = client.send_task("pmo.core.tasks.queue_sweep").id
    wait_until(lambda: task_succeeds(first), "a task before the restart", logs=(worker_log,))

    postgres.restart()

    assert project_list_shows_the_project()
    second = client.send_task("pmo.core.tasks.queue_sweep").id
    wait_until(lambda: task_succeeds(second), "a task after the restart", logs=(worker_log,))
    assert "Traceback" not in app_log.read_text(errors="replace")
