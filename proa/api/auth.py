"""/api/v1/auth: log in (token and cookie), log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from proa import service
from proa.http import (
    ActorDep,
    DatabaseDep,
    clear_session_cookie,
    client_address,
    session_token,
    set_session_cookie,
)

router = APIRouter(prefix="/auth", tags=["Authentification"])


class Credentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


@router.post("/login", summary="Se connecter (jeton et cookie de session)")
def login(
    body: Credentials, request: Request, response: Response, db: DatabaseDep
) -> service.LoginResult:
    """5 échecs par adresse et par poste en 5 minutes, puis 429 jusqu'à la fin de la fenêtre."""
    result = service.login(db, body.email, body.password, client_address(request))
    set_session_cookie(request, response, result.token, result.expires_at)
    return result


@router.post("/logout", status_code=204, summary="Se déconnecter")
def logout(request: Request, _actor: ActorDep, db: DatabaseDep) -> Response:
    token, _ = session_token(request)
    if token:
        service.logout(db, token)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


class PasswordChange(BaseModel):
    current: str = Field(max_length=200)
    new: str = Field(max_length=200, description="12 caractères au moins")


@router.post("/password", status_code=204, summary="Changer son mot de passe")
def change_password(
    body: PasswordChange, request: Request, actor: ActorDep, db: DatabaseDep
) -> Response:
    """Le mot de passe actuel est demandé ; les autres sessions du compte prennent fin."""
    token, _ = session_token(request)
    service.change_password(db, actor, body.current, body.new, token)
    return Response(status_code=204)


@router.get("/me", summary="Le compte connecté")
def me(actor: ActorDep, db: DatabaseDep) -> service.UserView:
    return service.get_user(db, actor)
