/** Request bodies of the hub API (zod); also the source of the OpenAPI request schemas. */
import { z } from 'zod';

const priority = z.enum(['elderly', 'disabled', 'pregnant', 'military', 'other']);

export const issueTicketBody = z
  .object({
    serviceCode: z.string().min(1).max(32),
    channel: z.enum(['kiosk', 'staff', 'appointment', 'mobile']),
    applicant: z
      .object({
        name: z.string().min(1).max(60),
        certType: z.enum(['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023', 'other']).default('resident'),
        certNo: z.string().min(1).max(40),
      })
      .strict()
      .optional(),
    priority: priority.nullable().optional(),
    appointmentId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const staffSessionBody = z
  .object({
    staffNo: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(16)),
    pin: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(32)),
    windowNo: z.number().int().min(1),
  })
  .strict();

export const callBody = z.object({ ticketId: z.string().min(1).max(64) }).strict();
export const skipBody = z.object({ requeue: z.boolean().optional() }).strict();
export const transferBody = z
  .object({
    toServiceCode: z.string().min(1).max(32).optional(),
    toWindowNo: z.number().int().min(1).optional(),
    position: z.enum(['front', 'back']).default('back'),
  })
  .strict()
  .refine((b) => b.toServiceCode !== undefined || b.toWindowNo !== undefined, {
    message: '需要 toServiceCode 或 toWindowNo',
    path: ['toServiceCode'],
  });
export const pauseBody = z
  .object({ reason: z.string().trim().min(1, '请填写暂停原因').max(100, '暂停原因最多 100 字') })
  .strict();
export const finishBody = z
  .object({
    case: z
      .object({
        taskCode: z.string().min(1).max(40),
        taskName: z.string().max(200).optional(),
        result: z.string().min(1).max(32),
        caseType: z.string().max(32).optional(),
        agent: z
          .object({
            name: z.string().min(1).max(60),
            certType: z.string().max(32).optional(),
            certNo: z.string().max(40).optional(),
          })
          .strict()
          .optional(),
        // A name, or the platform contract's material object (copies, pages, sha256 of a scan).
        materials: z
          .array(
            z.union([
              z.string().max(200),
              z
                .object({
                  name: z.string().min(1).max(200),
                  copies: z.number().int().min(0).max(1000).nullable().optional(),
                  pages: z.number().int().min(0).max(10000).nullable().optional(),
                  sha256: z
                    .string()
                    .regex(/^[0-9a-fA-F]{64}$/, 'sha256 应为 64 位十六进制')
                    .nullable()
                    .optional(),
                })
                .strict(),
            ]),
          )
          .max(100)
          .optional(),
      })
      .strict(),
  })
  .strict();
export const createTokenBody = z
  .object({
    role: z.enum(['kiosk', 'counter', 'display', 'evaluator', 'admin']),
    windowNo: z.number().int().min(1).optional(),
    name: z.string().max(60).optional(),
  })
  .strict();
export const dayQuery = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const evaluationBody = z
  .object({
    caseId: z.string().min(1).max(64),
    // No default: a rating is what the citizen chose, never something filled in for them.
    level: z.enum(['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied']),
    reasons: z.array(z.string().min(1).max(32)).max(20).default([]),
    text: z.string().max(500).optional(),
    channel: z.enum(['pad', 'kiosk', 'qr']),
  })
  .strict();
