"""Each app declares what its audit log entries read as; the log screen only reads the registry."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from portal.core import audit

AUDIT_ADMIN = Path(audit.__file__).with_name("audit_admin.py")


def test_the_log_screen_declares_no_labels_of_its_own():
    tree = ast.parse(AUDIT_ADMIN.read_text())
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not calls & {"register_actions", "register_parameters"}


@pytest.mark.parametrize(
    ("app", "code", "label"),
    [
        ("checkpoints", "checkpoints.trace.visitors", "Truy vết: người đến một điểm kiểm dịch"),
        ("checkpoints", "checkpoints.checkins.list", None),
        ("core", "account.created", None),
        ("core", "unit_reform.merge", None),
    ],
)
def test_each_app_declares_the_labels_of_its_own_actions(monkeypatch, app, code, label):
    monkeypatch.setattr(audit, "_ACTIONS", {})
    monkeypatch.setattr(audit, "_PARAMETERS", dict(audit._PARAMETERS))
    with translation.override("vi"):
        assert audit.action_label(code).startswith("Thao tác khác")
        apps.get_app_config(app).register_audit_labels()
        assert not audit.action_label(code).startswith("Thao tác khác")
        if label:
            assert audit.action_label(code) == label


def test_parameters_of_checkpoints_and_accounts_are_declared_by_their_apps(monkeypatch):
    monkeypatch.setattr(audit, "_PARAMETERS", {})
    apps.get_app_config("checkpoints").register_audit_labels()
    apps.get_app_config("core").register_audit_labels()
    with translation.override("vi"):
        assert audit._key_label("buffer") == "Khoảng đệm (phút)"
        assert audit._key_label("is_staff") == "Cán bộ"
