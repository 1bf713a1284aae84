"""Cinder's fake volume backend, made to accept images, for a local test cloud. It keeps no data.

Volumes can be created from images (the image record is read from Glance, nothing is written) and
instances booted from them.
"""

from cinder.tests.fake_driver import FakeLoggingVolumeDriver


class DevcloudVolumeDriver(FakeLoggingVolumeDriver):
    def copy_image_to_volume(self, context, volume, image_service, image_id, disable_sparse=False):
        image_service.show(context, image_id)  # a real Glance call: the image must exist

    def copy_volume_to_image(self, context, volume, image_service, image_meta):
        pass

    def extend_volume(self, volume, new_size):
        """Nothing to grow (the backend keeps no data): Cinder records the new size. The fake LVM
        of the stock fake driver has no extend, so without this every extend ends in error_extending."""
