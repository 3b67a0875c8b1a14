import { startTelemetry } from '@itsm/observability/telemetry';

startTelemetry('slm');
