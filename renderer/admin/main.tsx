import { mountRole } from '../shared/app.js';
import { AdminApp } from './admin-app.js';

mountRole('admin', AdminApp);
