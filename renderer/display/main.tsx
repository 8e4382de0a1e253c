import { mountRole } from '../shared/app.js';
import { DisplayApp } from './display-app.js';

mountRole('display', DisplayApp);
