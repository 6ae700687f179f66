-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "resumeState" JSONB;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "interactionAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "officeId" TEXT;

-- AlterTable
ALTER TABLE "Tip" DROP COLUMN "lockedUntil",
DROP COLUMN "pinFailures",
ADD COLUMN     "pinLength" INTEGER NOT NULL DEFAULT 6;

-- AlterTable
ALTER TABLE "TipMessage" ADD COLUMN     "seq" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "AttemptWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AttemptWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "AttemptBackoff" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AttemptBackoff_pkey" PRIMARY KEY ("key")
);

-- AddForeignKey
ALTER TABLE "StaffUser" ADD CONSTRAINT "StaffUser_officeId_fkey" FOREIGN KEY ("officeId") REFERENCES "Office"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Existing rows: tip times to the hour, and tip-flow deliveries already done with anonymised (see README, "Anonymous tips").
UPDATE "Tip" SET "createdAt" = date_trunc('hour', "createdAt"), "acknowledgedAt" = date_trunc('hour', "acknowledgedAt"), "closedAt" = date_trunc('hour', "closedAt");
UPDATE "TipMessage" SET "createdAt" = date_trunc('hour', "createdAt");
UPDATE "TipAttachment" SET "createdAt" = date_trunc('hour', "createdAt");
UPDATE "Delivery" SET "sensitive" = false, "contactId" = NULL, "recipient" = '', "laneKey" = '', "interactionAt" = NULL,
  "platformMessageId" = NULL, "platformCode" = NULL, "reason" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL,
  "createdAt" = date_trunc('hour', "createdAt"), "notBefore" = date_trunc('hour', "notBefore"),
  "sentAt" = NULL, "deliveredAt" = NULL, "seenAt" = NULL
WHERE "sensitive" AND "status" IN ('sent', 'failed', 'skipped');
