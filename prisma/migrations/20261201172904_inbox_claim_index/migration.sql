-- CreateIndex
CREATE INDEX "InboundEvent_status_id_idx" ON "InboundEvent"("status", "id");
