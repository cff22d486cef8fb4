"""Read-only public endpoint for sources."""

from tracker.api import PublicViewSet, document_read_only

from .. import selectors
from ..filtersets import SourceFilterSet
from .serializers import SourceSerializer


@document_read_only("source", "sources", "source")
class SourceViewSet(PublicViewSet):
    queryset = selectors.sources_list()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    cited_paths = ()
