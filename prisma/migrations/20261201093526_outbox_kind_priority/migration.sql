-- DropIndex
DROP INDEX "Delivery_status_notBefore_id_idx";

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'reply';

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_idempotencyKey_key" ON "Delivery"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Delivery_status_kind_channel_notBefore_id_idx" ON "Delivery"("status", "kind", "channel", "notBefore", "id");

-- CreateIndex
CREATE INDEX "Delivery_laneKey_kind_status_id_idx" ON "Delivery"("laneKey", "kind", "status", "id");
