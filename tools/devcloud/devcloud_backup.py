"""cinder-backup for the devcloud's fake volume backend, which keeps no data.

The fake driver answers initialize_connection with iSCSI connection info without a target, so the
stock manager fails with KeyError 'target_portal'. This one keeps the RPC round trip to cinder-volume
but attaches a scratch sparse file of the volume's size (os-brick's "local" connector): backups read
zeros, restores write into the file, which is removed after detach.
"""
import os
import uuid

from oslo_config import cfg

from cinder.backup import manager
from cinder.volume import volume_utils

CONF = cfg.CONF


class DevcloudBackupManager(manager.BackupManager):
    def _attach_volume(self, context, volume, properties):
        self.volume_rpcapi.initialize_connection(context, volume, properties)
        return self._scratch_device(volume.size)

    def _attach_snapshot(self, ctxt, snapshot, properties):
        self.volume_rpcapi.initialize_connection_snapshot(ctxt, snapshot, properties)
        return self._scratch_device(snapshot.volume_size)

    def _scratch_device(self, size_gb):
        directory = os.path.join(CONF.state_path, "backup-scratch")
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, uuid.uuid4().hex)
        with open(path, "wb") as f:
            f.truncate(size_gb * 1024 ** 3)
        conn = {"driver_volume_type": "local", "data": {"device_path": path}}
        connector = volume_utils.brick_get_connector("local")
        return {"conn": conn, "device": connector.connect_volume(conn["data"]), "connector": connector}

    def _detach_device(self, ctxt, attach_info, device, properties, is_snapshot=False, force=False,
                       ignore_errors=False):
        try:
            super()._detach_device(ctxt, attach_info, device, properties, is_snapshot=is_snapshot,
                                   force=force, ignore_errors=ignore_errors)
        finally:
            path = attach_info["conn"]["data"].get("device_path")
            if attach_info["conn"]["driver_volume_type"] == "local" and path and os.path.exists(path):
                os.unlink(path)
