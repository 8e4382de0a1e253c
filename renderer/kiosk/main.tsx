import { mountRole } from '../shared/app.js';
import { KioskApp } from './kiosk-app.js';

mountRole('kiosk', KioskApp, { bridge: true, touch: true });
