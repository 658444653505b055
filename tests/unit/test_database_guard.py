"""The guard that keeps tests off real data: any database whose name does not end in `_test` is refused."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import RealDataRefused, drop_test_database, refuse_unless_test_database


class FakeClient:
    dropped: list = []

    def __init__(self, uri, **options):
        self.uri = uri

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def drop_database(self, name):
        FakeClient.dropped.append((self.uri, name))


def settings(db: str, uri: str = "mongodb://db.example:27017"):
    return SimpleNamespace(mongodb_uri=uri, mongodb_db=db)


class TestTheRealDatabaseGuard:
    @pytest.mark.parametrize("name", ["homeward", "homeward_monitoring", "test_homeward", "homeward_test_data"])
    def test_a_database_not_named_like_a_test_database_is_refused(self, name):
        with pytest.raises(RealDataRefused):
            refuse_unless_test_database(settings(name))

    def test_a_test_database_is_accepted(self):
        ok = settings("homeward_monitoring_test")
        assert refuse_unless_test_database(ok) is ok

    def test_only_a_test_database_is_ever_dropped(self):
        FakeClient.dropped = []
        drop_test_database(settings("homeward_monitoring_test"), FakeClient)
        with pytest.raises(RealDataRefused):
            drop_test_database(settings("homeward_monitoring"), FakeClient)
        assert FakeClient.dropped == [("mongodb://db.example:27017", "homeward_monitoring_test")]

    def test_the_in_memory_store_needs_no_dropping(self):
        FakeClient.dropped = []
        drop_test_database(settings("homeward_monitoring_test", uri=""), FakeClient)
        assert FakeClient.dropped == []

    def test_settings_for_tests_name_test_databases(self, settings_for):
        assert settings_for("monitoring").mongodb_db.endswith("_test")
