"""The case list page and its export (issue 13, §2): pages with exact counts, search and
filters in a GET form, order, French refusals of a bad address, CSV and XLSX."""

from __future__ import annotations

import copy
import html
import io
import re
import uuid
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from proa import service as s
from proa.storage.db import Database
from tests.conftest import example_case
from tests.web.conftest import Account, add_account
from tests.web.html import Page
from tests.web.test_pages import assert_accessible, login


def cabinet(
    database: tuple[Database, Path], names: list[str], **changes: Any
) -> tuple[Account, list[int]]:
    """A new cabinet with one case per name (the example case)."""
    db, _ = database
    account = add_account(db, f"{uuid.uuid4().hex[:10]}@cabinet.fr", "Cabinet des Listes")
    actor = s.actor_for_token(db, s.login(db, account.email, account.password).token)
    ids = []
    for name in names:
        payload = copy.deepcopy(example_case())
        payload["parties"]["employee_name"] = name
        payload.update(changes)
        ids.append(s.create_case(db, actor, payload).id)
    return account, ids


def caption(text: str) -> str:
    found = re.search(r"<caption>(.*?)</caption>", text, re.S)
    assert found, "no caption"
    return " ".join(html.unescape(found.group(1)).split())


def listed(text: str) -> list[int]:
    return [int(i) for i in re.findall(r'<th scope="row"><a href="/dossiers/(\d+)"', text)]


def test_the_list_pages_with_exact_counts(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    account, ids = cabinet(database, [f"Salarié {i:02d}" for i in range(60)])
    login(client, account)
    first = client.get("/dossiers")
    assert first.status_code == 200
    assert_accessible(first.text)
    assert caption(first.text) == "60 dossiers — 1 à 50 affichés, page 1 sur 2"
    assert listed(first.text) == ids[::-1][:50]
    assert 'href="/dossiers?page=2" rel="next"' in first.text
    second = client.get("/dossiers?page=2")
    assert caption(second.text) == "60 dossiers — 51 à 60 affichés, page 2 sur 2"
    assert listed(second.text) == ids[::-1][50:]
    assert "Page 2 sur 2" in second.text
    small = client.get("/dossiers?taille=25&page=3&tri=employee_name")
    assert caption(small.text) == "60 dossiers — 51 à 60 affichés, page 3 sur 3"
    assert listed(small.text) == ids[50:]
    # The other pages keep the order and the size.
    assert 'href="/dossiers?tri=employee_name&amp;taille=25&amp;page=2" rel="prev"' in small.text


def test_search_and_filters_are_a_get_form(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    account, ids = cabinet(database, ["Hélène Dupont", "Jean Martin", "HELENE Roux"])
    login(client, account)
    r = client.get("/dossiers")
    fields = ["nom", "statut", "dispositif", "decision", "tri", "taille"]
    assert Page(r.text).field_names("filtres") == fields
    assert re.search(r'<form method="get" action="/dossiers"[^>]*id="filtres"', r.text)
    found = client.get("/dossiers?nom=helene&tri=employee_name")
    assert caption(found.text) == "2 dossiers correspondant à la recherche"
    assert listed(found.text) == [ids[0], ids[2]]
    assert 'value="helene"' in found.text  # the form shows what was searched
    assert "/dossiers.csv?nom=helene&amp;tri=employee_name" in found.text
    none = client.get("/dossiers?nom=helene&decision=ineligible")
    assert "Aucun dossier ne correspond à cette recherche" in html.unescape(none.text)
    assert listed(client.get("/dossiers?decision=eligible&dispositif=pro-a").text) == ids[::-1]


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ("page=-1", "Page", 422),
        ("page=0", "Page", 422),
        ("page=abc", "Page", 422),
        ("page=" + "9" * 40, "Page", 422),
        ("page=99", "Page", 404),
        ("taille=7", "Dossiers par page", 422),
        ("tri=salaire", "Trier par", 422),
        ("statut=perdu", "Statut", 422),
        ("decision=peut-etre", "Décision", 422),
        ("nom=%00", "Salarié", 422),
        ("nom=" + "x" * 101, "Salarié", 422),
    ],
)
def test_a_bad_address_is_refused_in_french(
    client: TestClient, accounts: tuple[Account, Account], query: str, field: str, status: int
) -> None:
    login(client, accounts[0])
    r = client.get(f"/dossiers?{query}")
    assert r.status_code == status
    text = re.sub(r"[\u00a0\u202f]", " ", html.unescape(re.sub(r"<[^>]+>", "", r.text)))
    assert "Cette liste ne peut pas être affichée" in text
    assert f"« {field} » :" in text
    if status == 404:
        assert "la page 99 n'existe pas : la liste en compte" in text
    if field == "Trier par":
        export = client.get(f"/dossiers.csv?{query}")
        assert export.status_code == 422
        assert "« Trier par » : valeur « salaire » inconnue" in html.unescape(export.text)


def test_exports_hold_the_filtered_list(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    names = ["Hélène Dupont", '=HYPERLINK("http://x")', "Jean Martin", "Hélène Roux"]
    account, ids = cabinet(database, names)
    login(client, account)
    r = client.get("/dossiers.csv?nom=helene&tri=employee_name")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="dossiers-\d{4}-\d{2}-\d{2}\.csv"', r.headers["content-disposition"]
    )
    assert r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:4] == ["Dossier n°", "Salarié", "Cabinet", "Statut"]
    assert [line.split(";")[:2] for line in lines[1:]] == [
        [str(ids[0]), "Hélène Dupont"],
        [str(ids[3]), "Hélène Roux"],
    ]
    assert lines[1].split(";")[3:6] == ["Brouillon", "Éligible", "Pro-A (avenant n° 81, IDCC 1147)"]
    every = client.get("/dossiers.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in every  # never a formula in a spreadsheet
    book = client.get("/dossiers.xlsx?tri=employee_name")
    assert book.status_code == 200
    sheet = pl.read_excel(io.BytesIO(book.content))
    assert sheet.height == 4
    assert sheet["Dossier n°"].to_list() == [ids[1], ids[0], ids[3], ids[2]]
    assert sheet["Salarié"][0] == '=HYPERLINK("http://x")'  # text, not a formula
    assert str(sheet["Créé le"].dtype).startswith("Date")  # a date, not text
    assert client.get("/dossiers.pdf").status_code == 404
    client.post("/deconnexion")
    assert client.get("/dossiers.csv", follow_redirects=False).status_code == 303
