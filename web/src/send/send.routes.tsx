import type { RouteObject } from 'react-router';
import { ComposePage } from './ComposePage';
import { StartPage } from './StartPage';
import './send.css';

/** The send flow: the start page (templates) and composing, reviewing and sending an alert. */
export const sendRoutes: RouteObject[] = [
  { index: true, element: <StartPage /> },
  { path: 'send/:templateId', element: <ComposePage /> },
];
