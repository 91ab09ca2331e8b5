import { ApiProperty } from '@nestjs/swagger';

export class AgentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['human', 'ai', 'bot', 'system'],
    example: 'human',
    description: "system: the project's `System` (automations) and `API` (API keys) agents, which cannot be changed",
  })
  type: string;
  @ApiProperty({ example: 'Maria Souza' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'maria@example.com' }) email: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The member a human agent belongs to' })
  userId: string | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, example: {}, description: 'Settings of AI and bot agents' })
  config: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: 'Set while it is deleted' })
  deletedAt: Date | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
