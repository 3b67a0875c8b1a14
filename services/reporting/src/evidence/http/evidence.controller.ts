import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses } from '@itsm/platform';
import { EvidenceService, type BundleVerification } from '../application/evidence.service';
import { type EvidenceBundle } from '../domain/evidence-bundle';
import {
  BundleVerificationResponse,
  ClauseListResponse,
  EvidenceBundleBody,
  EvidenceQuery,
} from './evidence.dto';

const BUNDLE_DESCRIPTION =
  "The archived events of the clause's record families that happened in [from, to), as you may read them (each event needs the read permission of its family and the record-level rules of its record), with the records they are about, a summary (counts per event type and record kind, and of the clause's key evidence), each entry's place in the archive's hash chain (`previousHash`, `hash`), the chain's head when the bundle was made, and the bundle's own SHA-256 over the canonical JSON (RFC 8785) of everything else. At most 20,000 events: a longer period answers 400.";

/** ISO/IEC 20000-1 audit evidence from the hash-chained archive. Thin: the service decides. */
@ApiTags('reports')
@Controller('api/v1/reports/evidence')
@RequirePermission('evidence:read')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get('clauses')
  @ApiOperation({
    summary: 'The clauses evidence is given for',
    description:
      'Each ISO/IEC 20000-1 clause the platform runs a process for, what its evidence shows, the record families it is drawn from and its key evidence (event types).',
  })
  @ApiResponse({ status: 200, type: ClauseListResponse })
  clauses(): ClauseListResponse {
    return {
      items: this.evidence.clauses().map((definition) => ({
        clause: definition.clause,
        title: definition.title,
        shows: definition.shows,
        families: [...definition.families],
        keyEvidence: definition.keyEvidence.map(({ types, shows }) => ({
          types: [...types],
          shows,
        })),
      })),
    };
  }

  @Get()
  @ApiOperation({
    summary: 'Audit evidence for a clause and period',
    description: BUNDLE_DESCRIPTION,
  })
  @ApiResponse({ status: 200, type: EvidenceBundleBody })
  @ApiProblemResponses(400)
  bundle(@Query() query: EvidenceQuery, @CurrentCaller() caller: Caller): Promise<EvidenceBundle> {
    return this.evidence.bundle(caller, {
      clause: query.clause,
      from: new Date(query.from),
      to: new Date(query.to),
    });
  }

  @Get('export')
  @ApiOperation({
    summary: 'Download the audit evidence bundle of a clause and period',
    description: `The bundle of \`GET /api/v1/reports/evidence\` as a file to keep (\`Content-Disposition: attachment\`), to be handed back to \`POST /api/v1/reports/evidence/verify\` later. ${BUNDLE_DESCRIPTION}`,
  })
  @ApiResponse({ status: 200, type: EvidenceBundleBody })
  @ApiProblemResponses(400)
  async export(
    @Query() query: EvidenceQuery,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EvidenceBundle> {
    const bundle = await this.evidence.bundle(caller, {
      clause: query.clause,
      from: new Date(query.from),
      to: new Date(query.to),
    });
    const day = (instant: string) => instant.slice(0, 10);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="evidence-${bundle.clause.clause}-${day(bundle.period.from)}-${day(bundle.period.to)}-${bundle.bundleHash.slice(0, 12)}.json"`,
    );
    return bundle;
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify an audit evidence bundle',
    description:
      "Takes a bundle back and says whether it is intact: its hash and its entries' hashes recompute, its summary and records are what its entries give, each entry is still the archive's row at its sequence, the head it names is still in the chain, none of the clause's events of the period archived up to that head (that you may read) is left out, and the archive's chain holds from its first entry to its head. Each finding names the sequence at fault. A bundle larger than the request body limit (`HTTP_BODY_LIMIT`) is refused with 413.",
  })
  @ApiResponse({ status: 200, type: BundleVerificationResponse })
  @ApiProblemResponses(400)
  verify(
    @Body() bundle: EvidenceBundleBody,
    @CurrentCaller() caller: Caller,
  ): Promise<BundleVerification> {
    return this.evidence.verify(caller, bundle as unknown as EvidenceBundle);
  }
}
