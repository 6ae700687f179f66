-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "lastSignInAt" TIMESTAMP(3);

-- Backfill: the last console sign-in each account has in the audit log.
UPDATE "StaffUser" AS s SET "lastSignInAt" = a."at"
FROM (SELECT "staffId", MAX("at") AS "at" FROM "AuditLog" WHERE "action" = 'sign_in' AND "staffId" IS NOT NULL GROUP BY "staffId") AS a
WHERE a."staffId" = s."id";
