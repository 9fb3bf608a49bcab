"""/api/v1 accounts and tenancy: organisations, users, employees (with GDPR erasure),
the organisation-wide audit trail and statistics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from proa.api.deps import ActorDep, SessionDep
from proa.storage import services

router = APIRouter(tags=["Comptes"])


class OrganisationCreate(BaseModel):
    name: str = Field(max_length=200)


class UserCreate(BaseModel):
    email: str = Field(max_length=320)
    role: str
    organisation_id: int | None = Field(None, description="Défaut : votre organisation")
    password: str | None = Field(None, max_length=200, description="Défaut : généré")
    employee_id: int | None = Field(None, description="Pour le rôle employee")


class UserCreated(BaseModel):
    user: services.UserView
    password: str = Field(description="Affiché une seule fois")


class EmployeeCreate(BaseModel):
    organisation_id: int | None = None
    reference: str | None = Field(None, max_length=100)


@router.get("/organisations", summary="Votre organisation et celles qu'elle gère ou suit")
def organisations(actor: ActorDep, session: SessionDep) -> list[services.OrganisationView]:
    return services.list_organisations(session, actor)


@router.post(
    "/organisations",
    status_code=201,
    summary="Créer un cabinet géré (administrateur d'un cabinet de paie)",
)
def create_organisation(
    body: OrganisationCreate, actor: ActorDep, session: SessionDep
) -> services.OrganisationView:
    return services.create_organisation(session, actor, body.name, "cabinet")


@router.get("/users", summary="Les comptes de vos organisations (administrateur)")
def users(actor: ActorDep, session: SessionDep) -> list[services.UserView]:
    return services.list_users(session, actor)


@router.post("/users", status_code=201, summary="Créer un compte (administrateur)")
def create_user(body: UserCreate, actor: ActorDep, session: SessionDep) -> UserCreated:
    user, password = services.create_user(
        session,
        actor,
        body.email,
        body.role,
        body.organisation_id or actor.organisation_id,
        password=body.password,
        employee_id=body.employee_id,
    )
    return UserCreated(user=user, password=password)


@router.get("/employees", summary="Les salariés de vos cabinets")
def employees(actor: ActorDep, session: SessionDep) -> list[services.EmployeeView]:
    return services.list_employees(session, actor)


@router.post("/employees", status_code=201, summary="Créer un salarié (pseudonyme)")
def create_employee(
    body: EmployeeCreate, actor: ActorDep, session: SessionDep
) -> services.EmployeeView:
    return services.create_employee(session, actor, body.organisation_id, body.reference)


@router.delete(
    "/employees/{employee_id}/personal-data",
    summary="Effacer les données personnelles d'un salarié (RGPD, art. 17)",
)
def erase(employee_id: int, actor: ActorDep, session: SessionDep) -> services.ErasureReport:
    return services.erase_employee(session, actor, employee_id)


@router.get("/audit", summary="Le journal d'audit de vos organisations (administrateur)")
def audit(
    actor: ActorDep, session: SessionDep, limit: int = 200, offset: int = 0
) -> list[services.AuditEntry]:
    return services.audit_trail(session, actor, limit=limit, offset=offset)


@router.get("/stats", summary="Statistiques agrégées (aucune donnée individuelle)")
def stats(actor: ActorDep, session: SessionDep) -> dict[str, Any]:
    return services.statistics(session, actor)
