from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class SchedulerLease(SQLModel, table=True):
    """Who runs a periodic job right now. Taken and renewed with one conditional UPDATE, so
    however many backend workers start a scheduler, one of them holds the lease at a time;
    when it stops renewing, another takes over once expires_at has passed."""

    __tablename__ = "scheduler_lease"

    name: str = Field(sa_column=sa.Column(sa.String(64), primary_key=True))
    holder: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    expires_at: datetime = Field(nullable=False)
