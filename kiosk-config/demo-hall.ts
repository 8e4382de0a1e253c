import { fileURLToPath } from 'node:url';
import { appFileUrl } from '../common/app-root.js';

/** The embedded default: the demo hall a newcomer gets from `govhall start` (shipped beside the compiled code). */
export const DEMO_HALL_PATH = fileURLToPath(appFileUrl('kiosk-config/demo-hall.yaml'));
