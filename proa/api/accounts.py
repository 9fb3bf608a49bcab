"""/api/v1 accounts and tenancy: organisations, users, employees (with GDPR erasure),
the organisation-wide audit trail and statistics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from proa import service
from proa.http import ActorDep, DatabaseDep
from proa.service import inputs
from proa.storage.models import Role

router = APIRouter(tags=["Comptes"])

EmployeeId = Annotated[int, Path(ge=1, le=inputs.MAX_ID)]


class OrganisationCreate(inputs.Input):
    name: inputs.Name


class UserCreate(inputs.Input):
    email: inputs.Email
    role: Role
    organisation_id: inputs.Id | None = Field(None, description="Défaut : votre organisation")
    password: inputs.Password | None = Field(None, description="Défaut : généré")
    employee_id: inputs.Id | None = Field(None, description="Pour le rôle employee")


class UserCreated(BaseModel):
    user: service.UserView
    password: str = Field(description="Affiché une seule fois")


class EmployeeCreate(inputs.Input):
    organisation_id: inputs.Id | None = None
    reference: inputs.Reference | None = None


@router.get("/organisations", summary="Votre organisation et celles qu'elle gère ou suit")
def organisations(actor: ActorDep, db: DatabaseDep) -> list[service.OrganisationView]:
    return service.list_organisations(db, actor)


@router.post(
    "/organisations",
    status_code=201,
    summary="Créer un cabinet géré (administrateur d'un cabinet de paie)",
)
def create_organisation(
    body: OrganisationCreate, actor: ActorDep, db: DatabaseDep
) -> service.OrganisationView:
    return service.create_organisation(db, actor, body.name, "cabinet")


@router.get("/users", summary="Les comptes de vos organisations (administrateur)")
def users(actor: ActorDep, db: DatabaseDep) -> list[service.UserView]:
    return service.list_users(db, actor)


@router.post("/users", status_code=201, summary="Créer un compte (administrateur)")
def create_user(body: UserCreate, actor: ActorDep, db: DatabaseDep) -> UserCreated:
    user, password = service.create_user(
        db,
        actor,
        body.email,
        body.role,
        body.organisation_id or actor.organisation_id,
        password=body.password,
        employee_id=body.employee_id,
    )
    return UserCreated(user=user, password=password)


UserId = Annotated[int, Path(ge=1, le=inputs.MAX_ID)]


class NewPassword(BaseModel):
    user: service.UserView
    password: str = Field(description="Affiché une seule fois")


@router.post("/users/{user_id}/deactivate", summary="Désactiver un compte (administrateur)")
def deactivate(user_id: UserId, actor: ActorDep, db: DatabaseDep) -> service.UserView:
    """Ses sessions prennent fin aussitôt."""
    return service.set_user_active(db, actor, user_id, False)


@router.post("/users/{user_id}/activate", summary="Réactiver un compte (administrateur)")
def activate(user_id: UserId, actor: ActorDep, db: DatabaseDep) -> service.UserView:
    return service.set_user_active(db, actor, user_id, True)


@router.post(
    "/users/{user_id}/reset-password",
    summary="Réinitialiser le mot de passe d'un compte (administrateur)",
)
def reset_password(user_id: UserId, actor: ActorDep, db: DatabaseDep) -> NewPassword:
    """Un nouveau mot de passe, affiché une seule fois ; les sessions du compte prennent fin."""
    user, password = service.reset_password(db, actor, user_id)
    return NewPassword(user=user, password=password)


@router.get("/employees", summary="Les salariés de vos cabinets")
def employees(actor: ActorDep, db: DatabaseDep) -> list[service.EmployeeView]:
    return service.list_employees(db, actor)


@router.post("/employees", status_code=201, summary="Créer un salarié (pseudonyme)")
def create_employee(body: EmployeeCreate, actor: ActorDep, db: DatabaseDep) -> service.EmployeeView:
    return service.create_employee(db, actor, body.organisation_id, body.reference)


@router.delete(
    "/employees/{employee_id}/personal-data",
    summary="Effacer les données personnelles d'un salarié (RGPD, art. 17)",
)
def erase(employee_id: EmployeeId, actor: ActorDep, db: DatabaseDep) -> service.ErasureReport:
    return service.erase_employee(db, actor, employee_id)


@router.get("/audit", summary="Le journal d'audit de vos organisations (administrateur)")
def audit(
    actor: ActorDep,
    db: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=inputs.MAX_OFFSET)] = 0,
) -> list[service.AuditEntry]:
    return service.audit_trail(db, actor, limit=limit, offset=offset)


@router.get("/stats", summary="Statistiques agrégées (aucune donnée individuelle)")
def stats(actor: ActorDep, db: DatabaseDep) -> service.Statistics:
    return service.statistics(db, actor)
