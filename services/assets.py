"""Assets: create, update, list. They behave like shots."""

from __future__ import annotations

from sqlmodel import Session, select

from models import Asset
from models.base import utcnow
from services import access, activity, events, items
from services.errors import Conflict
from services.parsing import clean_code
from services.schemas import AssetRead, UserRead


def _read(a: Asset, lead_name: str | None) -> AssetRead:
    return AssetRead(
        id=a.id,
        project_id=a.project_id,
        asset_code=a.asset_code,
        name=a.name,
        description=a.description,
        status=a.status.value,
        priority=a.priority.value,
        assigned_lead_id=a.assigned_lead_id,
        lead_name=lead_name,
        due_date=a.due_date,
    )


def _apply(session: Session, asset: Asset, fields: dict) -> None:
    if "asset_code" in fields:
        asset.asset_code = clean_code(fields["asset_code"], "Asset code")
    items.apply_common(asset, fields)
    if "assigned_lead_id" in fields:
        asset.assigned_lead_id = items.lead(session, fields["assigned_lead_id"])
    clash = session.exec(
        select(Asset.id).where(
            Asset.project_id == asset.project_id,
            Asset.asset_code == asset.asset_code,
            Asset.id != (asset.id or -1),
        )
    ).first()
    if clash:
        raise Conflict(f"Asset {asset.asset_code} already exists in this project.")


def create_asset(
    session: Session, *, actor: UserRead, project_id: int, asset_code: str, **fields
) -> AssetRead:
    access.load_project(session, actor, project_id, "asset.manage")
    asset = Asset(project_id=project_id, asset_code="")
    _apply(session, asset, {"asset_code": asset_code, **fields})
    session.add(asset)
    session.flush()
    activity.record(
        session,
        project_id=project_id,
        actor=actor,
        verb="asset.created",
        target_type="asset",
        target_id=asset.id,
        text=f"{actor.name} added asset {asset.asset_code}",
    )
    events.emit(session, "asset.created", project_id, asset_id=asset.id)
    return get_asset(session, actor=actor, asset_id=asset.id)


def update_asset(session: Session, *, actor: UserRead, asset_id: int, **fields) -> AssetRead:
    asset = access.get_or_404(session, Asset, asset_id, "Asset")
    access.load_project(session, actor, asset.project_id, "asset.manage")
    # No autoflush while the edit is half applied: the duplicate-code check must answer
    # Conflict, not trip the UNIQUE constraint by flushing the new code first.
    with session.no_autoflush:
        _apply(session, asset, fields)
    asset.updated_at = utcnow()
    session.add(asset)
    session.flush()
    events.emit(session, "asset.updated", asset.project_id, asset_id=asset.id)
    return get_asset(session, actor=actor, asset_id=asset.id)


def get_asset(session: Session, *, actor: UserRead, asset_id: int) -> AssetRead:
    asset = access.get_or_404(session, Asset, asset_id, "Asset")
    access.load_project(session, actor, asset.project_id)
    lead_id = asset.assigned_lead_id
    return _read(asset, access.user_names(session, [lead_id]).get(lead_id))


def list_assets(session: Session, *, actor: UserRead, project_id: int) -> list[AssetRead]:
    access.load_project(session, actor, project_id)
    assets = session.exec(
        select(Asset).where(Asset.project_id == project_id).order_by(Asset.asset_code)
    ).all()
    names = access.user_names(session, [a.assigned_lead_id for a in assets])
    return [_read(a, names.get(a.assigned_lead_id)) for a in assets]
