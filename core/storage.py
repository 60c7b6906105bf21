"""Private storage: files only the portal's download view hands out, never under MEDIA_URL."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local files under PRIVATE_MEDIA_ROOT; they have no URL of their own.

    Nothing serves this directory (no URL pattern, not WhiteNoise, not the proxy): every download
    goes through `core:file_download`, which asks the owning app whether the person may have it.
    """

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, **kwargs)

    @property
    def base_location(self):
        # Read on every use (not cached) so tests can point PRIVATE_MEDIA_ROOT at a tmp dir.
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: link to core:file_download instead.")


def private_storage():
    """The storage of stored files (STORAGES["private"]): a callable, so migrations stay neutral."""
    return storages["private"]
