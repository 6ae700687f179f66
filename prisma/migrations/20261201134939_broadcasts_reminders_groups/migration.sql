-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "broadcastId" TEXT,
ADD COLUMN     "caughtUpAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "School" ADD COLUMN     "broadcastNeedsApproval" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "chatContactId" TEXT,
ADD COLUMN     "linkCodeExpiresAt" TIMESTAMP(3),
ADD COLUMN     "linkCodeHash" TEXT;

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "campaignId" TEXT,
    "audience" JSONB NOT NULL,
    "message" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "sendAt" TIMESTAMP(3) NOT NULL,
    "needsApproval" BOOLEAN NOT NULL DEFAULT false,
    "approvedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "createdByContactId" TEXT,
    "createdByStaffId" TEXT,
    "source" TEXT,
    "catchUpUntil" TIMESTAMP(3),
    "audienceSize" INTEGER,
    "expansionCursor" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "expandedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" TEXT NOT NULL,
    "slug" TEXT,
    "title" TEXT NOT NULL,
    "cron" TEXT,
    "runAt" TIMESTAMP(3),
    "audience" JSONB NOT NULL,
    "message" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "campaignId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastRunAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderRun" (
    "reminderId" TEXT NOT NULL,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "broadcastId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReminderRun_pkey" PRIMARY KEY ("reminderId","scheduledAt")
);

-- CreateTable
CREATE TABLE "ZaloGroup" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "classId" TEXT,
    "health" TEXT NOT NULL DEFAULT 'ok',
    "healthCode" TEXT,
    "healthAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ZaloGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffNotification" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "sentCount" INTEGER NOT NULL DEFAULT 0,
    "lastSentAt" TIMESTAMP(3),
    "nextAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffNotification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Broadcast_code_key" ON "Broadcast"("code");

-- CreateIndex
CREATE INDEX "Broadcast_status_sendAt_idx" ON "Broadcast"("status", "sendAt");

-- CreateIndex
CREATE UNIQUE INDEX "Reminder_slug_key" ON "Reminder"("slug");

-- CreateIndex
CREATE INDEX "ZaloGroup_classId_idx" ON "ZaloGroup"("classId");

-- CreateIndex
CREATE INDEX "StaffNotification_acknowledgedAt_nextAt_idx" ON "StaffNotification"("acknowledgedAt", "nextAt");

-- CreateIndex
CREATE UNIQUE INDEX "StaffNotification_kind_subjectId_contactId_key" ON "StaffNotification"("kind", "subjectId", "contactId");

-- CreateIndex
CREATE INDEX "Delivery_broadcastId_status_idx" ON "Delivery"("broadcastId", "status");

-- CreateIndex
CREATE INDEX "Delivery_contactId_status_outcome_idx" ON "Delivery"("contactId", "status", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_chatContactId_key" ON "StaffUser"("chatContactId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_linkCodeHash_key" ON "StaffUser"("linkCodeHash");
