import './instrument';
import { bootstrapService } from '@itsm/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { consumesEvents: true });
