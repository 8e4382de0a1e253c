/**
 * The hub's scheduled backup (main/store/backup-schedule.ts): its alarms become `backup.alarm`
 * events, persisted and sent to every WebSocket client (the admin console among them).
 */
import type { BackupScheduler } from '../store/backup-schedule.js';
import type { HubPlugin } from './hub-plugin.js';

export function backupPlugin(scheduler: BackupScheduler): HubPlugin {
  return {
    name: 'backup',
    install(ctx) {
      scheduler.onAlarm = (a) => {
        try {
          ctx.emit({ type: 'backup.alarm', ...a });
        } catch (e) {
          // The disk of the data folder may be the trouble: the log still has the alarm.
          ctx.log('error', '无法发出备份告警事件', { error: (e as Error).message, reason: a.reason });
        }
      };
      return {
        close: () => {
          scheduler.onAlarm = null;
        },
      };
    },
  };
}
