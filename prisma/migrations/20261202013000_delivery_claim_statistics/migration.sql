-- Small planner statistics (10 values instead of 100) for the columns the outbox plans with (the claims, and the
-- console by broadcast and contact), so that refreshing them (OutboxRepo.refreshStatistics, an ANALYZE of these
-- columns only) samples 3 000 rows instead of 30 000 and never reads the messages. The embedded database has no
-- autovacuum and refreshes them as traffic arrives. The plans need only the rough shape (few pending rows, many
-- lanes). Measured at 58 000 deliveries on the embedded database: 33-100 ms, not 650-1 460 ms.
ALTER TABLE "Delivery"
  ALTER COLUMN "status" SET STATISTICS 10,
  ALTER COLUMN "kind" SET STATISTICS 10,
  ALTER COLUMN "channel" SET STATISTICS 10,
  ALTER COLUMN "notBefore" SET STATISTICS 10,
  ALTER COLUMN "laneKey" SET STATISTICS 10,
  ALTER COLUMN "id" SET STATISTICS 10,
  ALTER COLUMN "broadcastId" SET STATISTICS 10,
  ALTER COLUMN "contactId" SET STATISTICS 10;
