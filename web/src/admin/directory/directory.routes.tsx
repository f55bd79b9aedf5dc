import type { RouteObject } from 'react-router';
import { GroupList } from './groups/GroupList';
import { GroupPage } from './groups/GroupPage';
import { NewGroup } from './groups/NewGroup';
import { LocationList } from './locations/LocationList';
import { LocationPage } from './locations/LocationPage';
import { PeopleList } from './people/PeopleList';
import { PersonPage } from './people/PersonPage';
import { SyncRunList } from './syncs/SyncRunList';
import { SyncRunPage } from './syncs/SyncRunPage';
import { TokenList } from './tokens/TokenList';

/** People and their contacts, groups, locations, directory sync runs, API (SCIM) tokens. */
export const directoryRoutes: RouteObject[] = [
  { path: 'people', element: <PeopleList /> },
  { path: 'people/:id', element: <PersonPage /> },
  { path: 'groups', element: <GroupList /> },
  { path: 'groups/new', element: <NewGroup /> },
  { path: 'groups/:id', element: <GroupPage /> },
  { path: 'locations', element: <LocationList /> },
  { path: 'locations/:id', element: <LocationPage /> },
  { path: 'directory/syncs', element: <SyncRunList /> },
  { path: 'directory/syncs/:id', element: <SyncRunPage /> },
  { path: 'tokens', element: <TokenList /> },
];
