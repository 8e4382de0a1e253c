/** 本窗口业务等候: the waiting count of each of the window's services, live, and the way to the queue. */
import type { ApiService, WindowState } from '../shared/api-types.js';
import { windowStateText } from '../shared/labels.js';

export function WindowQueues({
  services,
  state,
  onOpenQueue,
}: {
  services: readonly ApiService[];
  state: WindowState | null;
  onOpenQueue: () => void;
}) {
  return (
    // Focusable: with many services the list scrolls, and a keyboard user must reach it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs keyboard access (axe scrollable-region-focusable).
    <section className="card c-queues" aria-labelledby="queues-title" tabIndex={0}>
      <h2 id="queues-title">本窗口业务等候</h2>
      <ul>
        {services.map((s) => (
          <li key={s.code}>
            <span>{s.name}</span>
            <span className="c-wait">
              <b>{s.waiting}</b> 人等候
            </span>
          </li>
        ))}
      </ul>
      <div className="c-queue-foot">
        <span className="muted">窗口状态：{windowStateText(state)}</span>
        <button type="button" className="btn" onClick={onOpenQueue}>
          查看队列 / 选号呼叫
        </button>
      </div>
    </section>
  );
}
