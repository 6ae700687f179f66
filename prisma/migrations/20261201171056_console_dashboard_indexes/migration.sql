-- CreateIndex
CREATE INDEX "InboundEvent_channel_receivedAt_idx" ON "InboundEvent"("channel", "receivedAt");

-- CreateIndex
CREATE INDEX "Pledge_campaignId_schoolId_audience_withdrawnAt_idx" ON "Pledge"("campaignId", "schoolId", "audience", "withdrawnAt");
