"""E-services models: procedure catalogue, dossiers, drafts, health declarations."""

from .catalogue import (  # noqa: F401
    ProcedureArea,
    ProcedureOffering,
    ServiceIndexPage,
    ServicePage,
)
from .declarations import HealthDeclaration  # noqa: F401
from .dossiers import (  # noqa: F401
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierFile,
    Draft,
    FormVersion,
    Status,
    SupplementRequest,
)
