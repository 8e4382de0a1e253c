import { mountRole } from '../shared/app.js';
import { EvaluatorApp } from './evaluator-app.js';

mountRole('evaluator', EvaluatorApp, { touch: true });
