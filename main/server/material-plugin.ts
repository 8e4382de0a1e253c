/**
 * Case materials (hub-api.md v1.1 "Documents and materials"): a window uploads what it scanned
 * while a ticket is served, 办结 attaches the uploads its `case.materials` names (and refuses a
 * SHA-256 not uploaded for that ticket), a case lists its materials, and the window that finished
 * the case (or an admin) downloads one — every step audited by the store.
 */

import { materialRoutes as api } from '../../common/api/material-routes.js';
import { isoInZone } from '../../common/hall-time.js';
import { hasMagic, type MaterialStore, type MaterialType } from '../store/material-store.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';

const TYPE_NAMES: Record<MaterialType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG 图片' };

export interface MaterialPluginOptions {
  store: MaterialStore;
  /** Called after a material is attached to a case, inside the 办结 transaction (the platform outbox). */
  onAttached?: (e: { caseId: string; materials: { name: string; sha256: string }[] }) => void;
}

export function materialPlugin(opts: MaterialPluginOptions): HubPlugin {
  const { store } = opts;
  return {
    name: 'materials',
    install(ctx) {
      ctx.defineRoute(api.uploadMaterial, ({ windowNo, caller, body, query }) => {
        const w = ctx.run(() => ctx.engine.window(windowNo));
        if (w.state !== 'serving' || !w.currentTicketId) {
          throw new ApiError(409, 'NOT_SERVING', `${windowNo} 号窗口当前没有正在办理的号：请先“开始”办理再采集材料`);
        }
        const type = body.contentType as MaterialType;
        if (!hasMagic(type, body.bytes)) {
          throw new ApiError(
            400,
            'CONTENT_MISMATCH',
            `文件内容不是 ${TYPE_NAMES[type]}：请检查文件，或按实际类型设置 Content-Type`,
          );
        }
        const m = store.upload(
          { bytes: body.bytes, contentType: type, name: query.name, ticketId: w.currentTicketId, windowNo },
          ctx.actorOf(caller),
        );
        return { sha256: m.sha256, bytes: m.bytes, name: m.name };
      });

      ctx.caseFinish.add(({ ticket, caseId, materials, actor }) => {
        const named = materials.flatMap((m, i) =>
          typeof m === 'object' && m.sha256 ? [{ i, name: m.name, sha256: m.sha256.toLowerCase() }] : [],
        );
        if (!named.length) return;
        const bad = store.attach(caseId, ticket.id, named, actor);
        if (bad !== null) {
          throw new ApiError(
            400,
            'UNKNOWN_MATERIAL',
            `字段 case.materials.${named[bad]!.i}.sha256：该文件没有在本窗口为当前办理的号上传，请先上传材料再办结`,
          );
        }
        opts.onAttached?.({ caseId, materials: named.map(({ name, sha256 }) => ({ name, sha256 })) });
      });

      ctx.defineRoute(api.caseMaterials, ({ params }) => {
        if (!ctx.cases.get(params.id)) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${params.id}`);
        return store.ofCase(params.id).map((m) => ({
          name: m.name,
          sha256: m.sha256,
          bytes: m.bytes,
          contentType: m.contentType,
          attachedAt: isoInZone(m.attachedAt, ctx.timeZone()),
        }));
      });

      ctx.defineRoute(api.caseMaterialFile, ({ params, caller, res }) => {
        const c = ctx.cases.get(params.id);
        if (!c) throw new ApiError(404, 'UNKNOWN_CASE', `办件不存在：${params.id}`);
        // Personal data: only the window that finished the case, or the admin console.
        if (caller.kind === 'staff' && caller.session.windowNo !== c.windowNo) {
          throw new ApiError(403, 'WRONG_WINDOW', `该办件由 ${c.windowNo ?? '其他'} 号窗口办结，本窗口不能下载其材料`);
        }
        const f = store.download(params.id, params.sha256, ctx.actorOf(caller));
        if (!f) throw new ApiError(404, 'UNKNOWN_MATERIAL', '该办件没有这份材料（或已按保存期限清除）');
        const ext = f.contentType === 'application/pdf' ? 'pdf' : 'jpg';
        res.writeHead(200, {
          'content-type': f.contentType,
          'content-length': f.data.length,
          'cache-control': 'no-store',
          'content-disposition': `attachment; filename="material.${ext}"; filename*=UTF-8''${encodeURIComponent(`${f.name}.${ext}`)}`,
        });
        res.end(f.data);
        return undefined;
      });
      return undefined;
    },
  };
}
