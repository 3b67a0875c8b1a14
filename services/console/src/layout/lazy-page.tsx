import { Suspense, type ReactNode } from 'react';
import { Loading } from './loading';

/** A screen loaded on its first visit (React.lazy): "Loading" until its code is in. */
export function LazyPage({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}
