import type { RouteObject } from 'react-router';
import { StartPage } from './StartPage';

/** The send flow: the start page (templates) and composing an alert. */
export const sendRoutes: RouteObject[] = [{ index: true, element: <StartPage /> }];
