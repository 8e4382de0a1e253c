/**
 * Labels the renderer roles share, so the display, the counter, the admin, the kiosk and the
 * printed ticket never name the same thing two ways. The words themselves live in the shared layer.
 */
export { PRIORITY_TEXT, priorityText, WINDOW_STATE_TEXT, windowStateText } from '../../common/queue-terms.js';
