"""What was only in the API, in the web app (issue 13, §1): one's password, the
administrator's accounts, a case's audit trail, deletion and erasure."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from proa import service as services
from proa.storage.db import Database
from tests.web.conftest import Account
from tests.web.test_pages import login, new_case
from tests.web.test_roles import _account


def test_an_admin_manages_the_accounts_of_the_cabinet(
    client: TestClient, database: tuple[Database, Path], accounts: tuple[Account, Account]
) -> None:
    db, _ = database
    admin = _account(db, "admin@cabinet-admin.fr", "admin", "Cabinet Admin", "cabinet")
    login(client, accounts[0])
    assert client.get("/administration").status_code == 403  # an employer is no admin
    client.post("/deconnexion")
    login(client, admin)
    page = html.unescape(client.get("/administration").text)
    assert "admin@cabinet-admin.fr" in page and "Créer un compte" in page
    made = client.post(
        "/administration/comptes", data={"email": "nouveau@cabinet-admin.fr", "role": "employer"}
    )
    shown = re.search(r"affiché une seule fois : <code>([^<]+)</code>", made.text)
    assert made.status_code == 200 and shown is not None
    password = html.unescape(shown.group(1))
    bad = client.post(
        "/administration/comptes", data={"email": "pas une adresse", "role": "employer"}
    )
    assert bad.status_code == 422 and "en-erreur" in bad.text
    users = {
        u.email: u
        for u in services.list_users(
            db, services.actor_for_token(db, services.login(db, admin.email, admin.password).token)
        )
    }
    new = users["nouveau@cabinet-admin.fr"]
    assert client.post(f"/administration/comptes/{new.id}/desactiver").status_code == 200
    assert "désactivé" in html.unescape(client.get("/administration").text)
    other = TestClient(client.app, headers={"Origin": "http://testserver"})
    refused = other.post("/connexion", data={"email": new.email, "password": password})
    assert refused.url.path != "/dossiers"  # a deactivated account cannot log in
    client.post(f"/administration/comptes/{new.id}/reactiver")
    reset = client.post(f"/administration/comptes/{new.id}/mot-de-passe")
    fresh = re.search(r"<code>([^<]+)</code>", reset.text)
    assert fresh is not None
    login(other, Account(new.email, html.unescape(fresh.group(1)), "Cabinet Admin"))


def test_a_user_changes_their_password(client: TestClient, database: tuple[Database, Path]) -> None:
    db, _ = database
    me = _account(db, "moi@cabinet-compte.fr", "employer", "Cabinet Compte", "cabinet")
    login(client, me)
    assert "Changer de mot de passe" in html.unescape(client.get("/compte").text)
    wrong = client.post(
        "/compte/mot-de-passe",
        data={"current": "faux", "new": "un mot de passe neuf", "again": "un mot de passe neuf"},
    )
    assert wrong.status_code == 422 and "inexact" in html.unescape(wrong.text)
    differ = client.post(
        "/compte/mot-de-passe",
        data={"current": me.password, "new": "un mot de passe neuf", "again": "un autre"},
    )
    assert differ.status_code == 422 and "diffèrent" in html.unescape(differ.text)
    done = client.post(
        "/compte/mot-de-passe",
        data={
            "current": me.password,
            "new": "un mot de passe neuf",
            "again": "un mot de passe neuf",
        },
    )
    assert done.status_code == 200 and "Mot de passe changé" in html.unescape(done.text)
    assert client.get("/dossiers").status_code == 200  # this session goes on
    client.post("/deconnexion")
    login(client, Account(me.email, "un mot de passe neuf", me.organisation))


def test_a_case_has_its_trail_and_can_be_deleted_or_its_person_erased(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client, "Irène Joliot")
    trail = html.unescape(client.get(url + "/journal").text)
    assert "création" in trail and "Journal d'audit" in trail
    page = html.unescape(client.get(url).text)
    assert "Supprimer le dossier" in page and "/export" in page
    erased = client.post(url + "/effacer")
    assert erased.status_code == 200 and "Irène Joliot" not in html.unescape(erased.text)
    assert "effacement des données personnelles" in html.unescape(client.get(url + "/journal").text)
    gone = client.post(url + "/supprimer")
    assert gone.status_code == 200 and gone.url.path == "/dossiers"
    assert client.get(url).status_code == 404


def test_a_payroll_firm_admin_adds_a_client_cabinet(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    db, _ = database
    admin = _account(db, "admin@paie-clients.fr", "admin", "Paie Clients", "payroll_firm")
    login(client, admin)
    assert client.post("/administration/cabinets", data={"name": ""}).status_code == 422
    done = client.post("/administration/cabinets", data={"name": "Cabinet des Lilas"})
    assert done.status_code == 200 and "Cabinet des Lilas" in html.unescape(done.text)
    assert "Cabinet des Lilas" in html.unescape(client.get("/dossiers/nouveau").text)
