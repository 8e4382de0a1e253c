import { mountRole } from '../shared/app.js';
import { CounterApp } from './counter-app.js';

mountRole('counter', CounterApp);
