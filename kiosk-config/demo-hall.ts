import { fileURLToPath } from 'node:url';

/** The embedded default: the demo hall a newcomer gets from `govhall start`. */
export const DEMO_HALL_PATH = fileURLToPath(new URL('./demo-hall.yaml', import.meta.url));
