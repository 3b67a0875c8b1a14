import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The service catalogue: what requesters may ask for. Keyed by the slug a request's
 * `catalogItem` holds; never deleted (requests refer to keys), retired with `active`.
 * Browsed by category then name, so the list's keyset order is an index.
 */
@Entity({ name: 'catalog_items' })
@Index('IX_catalog_items_browse', ['category', 'name', 'key'])
export class CatalogItemEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_catalog_items' })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'fulfilment_group', type: 'text', nullable: true })
  fulfilmentGroup!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
