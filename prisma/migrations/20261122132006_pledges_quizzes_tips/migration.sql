-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "sensitive" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "RosterEntry" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "studentName" TEXT NOT NULL,
    "studentKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RosterEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PledgeTemplate" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PledgeTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pledge" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "studentName" TEXT NOT NULL,
    "studentKey" TEXT NOT NULL,
    "parentName" TEXT,
    "contactId" TEXT,
    "receiptCode" TEXT NOT NULL,
    "consentAt" TIMESTAMP(3) NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pledge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuizAttempt" (
    "id" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "schoolId" TEXT,
    "topic" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "completedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuizAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tip" (
    "id" TEXT NOT NULL,
    "publicCode" TEXT NOT NULL,
    "pinHash" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'new',
    "outcome" TEXT,
    "schoolId" TEXT,
    "descriptionCipher" TEXT NOT NULL,
    "placeCipher" TEXT,
    "replyHandleCipher" TEXT,
    "pinFailures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Tip_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TipMessage" (
    "id" TEXT NOT NULL,
    "tipId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "bodyCipher" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TipMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TipAttachment" (
    "id" TEXT NOT NULL,
    "tipId" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "dataCipher" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TipAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubmissionWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SubmissionWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateIndex
CREATE UNIQUE INDEX "RosterEntry_classId_studentKey_key" ON "RosterEntry"("classId", "studentKey");

-- CreateIndex
CREATE UNIQUE INDEX "PledgeTemplate_campaignId_audience_version_key" ON "PledgeTemplate"("campaignId", "audience", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_receiptCode_key" ON "Pledge"("receiptCode");

-- CreateIndex
CREATE INDEX "Pledge_classId_audience_idx" ON "Pledge"("classId", "audience");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_campaignId_classId_studentKey_audience_key" ON "Pledge"("campaignId", "classId", "studentKey", "audience");

-- CreateIndex
CREATE INDEX "QuizAttempt_schoolId_topic_idx" ON "QuizAttempt"("schoolId", "topic");

-- CreateIndex
CREATE INDEX "QuizAttempt_contactId_idx" ON "QuizAttempt"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "Tip_publicCode_key" ON "Tip"("publicCode");

-- CreateIndex
CREATE INDEX "Tip_status_createdAt_idx" ON "Tip"("status", "createdAt");

-- CreateIndex
CREATE INDEX "TipMessage_tipId_createdAt_idx" ON "TipMessage"("tipId", "createdAt");

-- AddForeignKey
ALTER TABLE "TipMessage" ADD CONSTRAINT "TipMessage_tipId_fkey" FOREIGN KEY ("tipId") REFERENCES "Tip"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TipAttachment" ADD CONSTRAINT "TipAttachment_tipId_fkey" FOREIGN KEY ("tipId") REFERENCES "Tip"("id") ON DELETE CASCADE ON UPDATE CASCADE;
