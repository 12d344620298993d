// Shows AppNotifications with Electron. A newer notification for the same fact replaces the older one,
// and shown notifications are held so their click handlers live as long as they are on screen.
import { Notification } from 'electron';
import type { AppNotification } from './notifications';

export function createNotifier(onClick: (notification: AppNotification) => void): (notification: AppNotification) => void {
  const shown = new Map<string, Notification>();
  return (shownNotification) => {
    const { id, title, body } = shownNotification;
    if (!Notification.isSupported()) return;
    shown.get(id)?.close();
    const notification = new Notification({ title, body });
    shown.set(id, notification);
    notification.on('click', () => onClick(shownNotification));
    notification.on('close', () => {
      if (shown.get(id) === notification) shown.delete(id);
    });
    notification.show();
  };
}
