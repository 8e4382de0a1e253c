/** The tester's overview page at GET /: what the simulator holds, in Chinese, no script. */
import type { PlatformFaults, SimStats, StoredMaterial, StoredRecord } from './types.js';

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export interface PageInput {
  url: string;
  halls: string[];
  catalogVersion: string;
  catalogItems: number;
  faults: PlatformFaults;
  stats: SimStats;
  total: number;
  /** Newest first. */
  materials: StoredMaterial[];
  cases: { hallCode: string; localCaseId: string; projectNo: string; version: number; status: string }[];
  latest: StoredRecord[];
  serverTime: string;
}

const KIND: Record<string, string> = { case: '办件', evaluation: '评价', rectification: '整改', appointment: '预约' };

const STATUS: Record<string, string> = {
  accepted: '已受理',
  in_progress: '办理中',
  finished: '已办结',
  returned: '已退回',
  withdrawn: '已撤回',
};

export function renderSimPage(p: PageInput): string {
  const faults = Object.entries(p.faults).filter(([, v]) => v !== undefined && v !== 0 && v !== false);
  const refused = Object.entries(p.stats.refusedAuth);
  const rejected = Object.entries(p.stats.rejectedByCode);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>省级平台模拟器</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1f2937}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #cbd5e1;padding:.25rem .6rem;text-align:left;font-size:.9rem}
th{background:#f1f5f9}code{background:#f1f5f9;padding:0 .2rem}.warn{color:#b91c1c}
</style></head><body>
<h1>省级一体化政务服务平台 · 模拟器</h1>
<p>仅供测试使用。平台地址 <code>${esc(p.url)}</code>，平台时间 ${esc(p.serverTime)}，
已登记大厅：${p.halls.map((h) => `<code>${esc(h)}</code>`).join('、')}。
服务目录版本 ${esc(p.catalogVersion)}（${p.catalogItems} 个事项）。</p>
<h2>故障注入</h2>
<p>${faults.length ? faults.map(([k, v]) => `<span class="warn">${esc(k)} = ${esc(v)}</span>`).join('，') : '无（正常）'}
— 用 <code>POST /sim/faults</code> 修改。</p>
<h2>统计（本次运行）</h2>
<table><tr><th>请求</th><th>接收</th><th>重复</th><th>拒收</th><th>鉴权拒绝</th><th>503</th><th>429</th><th>提交后断开</th><th>断网丢弃</th></tr>
<tr><td>${p.stats.requests}</td><td>${p.stats.accepted}</td><td>${p.stats.duplicate}</td>
<td>${p.stats.rejected}${rejected.length ? `（${rejected.map(([k, v]) => `${esc(k)} ${v}`).join('，')}）` : ''}</td>
<td>${refused.length ? refused.map(([k, v]) => `${esc(k)} ${v}`).join('，') : 0}</td>
<td>${p.stats.faults.error503}</td><td>${p.stats.faults.rateLimited429}</td><td>${p.stats.faults.droppedAfterCommit}</td><td>${p.stats.faults.partitioned}</td></tr></table>
<h2>材料文件（共 ${p.stats.materials.stored} 份新存，${p.stats.materials.alreadyHeld} 次重复上传，${p.stats.materials.refused} 次拒收；显示最近 ${p.materials.length} 份）</h2>
<table><tr><th>存入时间</th><th>名称</th><th>类型</th><th>大小（字节）</th><th>大厅</th><th>上传次数</th><th>SHA-256</th></tr>
${p.materials.map((m) => `<tr><td>${esc(m.storedAt)}</td><td>${esc(m.name)}</td><td>${esc(m.contentType)}</td><td>${m.size}</td><td>${esc(m.hallCode)}</td><td>${m.puts}</td><td><code>${esc(m.sha256)}</code></td></tr>`).join('\n')}
</table>
<h2>办件（最近 200 件）</h2>
<table><tr><th>办件编号</th><th>大厅</th><th>本地编号</th><th>版本</th><th>状态</th></tr>
${p.cases.map((c) => `<tr><td>${esc(c.projectNo)}</td><td>${esc(c.hallCode)}</td><td>${esc(c.localCaseId)}</td><td>${c.version}</td><td>${esc(STATUS[c.status] ?? c.status)}</td></tr>`).join('\n')}
</table>
<h2>已接收记录（共 ${p.total} 条，显示最近 ${p.latest.length} 条）</h2>
<table><tr><th>接收时间</th><th>类型</th><th>序号</th><th>大厅</th><th>本地办件编号</th><th>版本/评价次数</th><th>办件编号</th><th>记录编号</th></tr>
${p.latest
  .map(
    (r) =>
      `<tr><td>${esc(r.acceptedAt)}</td><td>${esc(KIND[r.kind] ?? r.kind)}</td><td>${r.seq}</td><td>${esc(r.hallCode)}</td><td>${esc(r.localCaseId)}</td><td>${esc(r.version ?? r.assessNumber)}</td><td>${esc(r.projectNo ?? '')}</td><td><code>${esc(r.id)}</code></td></tr>`,
  )
  .join('\n')}
</table>
<p>JSON：<a href="/sim/records">/sim/records</a> · <a href="/sim/materials">/sim/materials</a> · <a href="/sim/stats">/sim/stats</a> · <a href="/sim/faults">/sim/faults</a></p>
</body></html>`;
}
