import type { CleryClass, LocationKind } from '../directory.tables.js';

/** A location of the demo campus. Codes follow MIT's style (number, or W/E/N/NW + number). */
export interface DemoLocation {
  kind: LocationKind;
  code: string;
  name: string;
  /** The zone it belongs to, by code. */
  zone: string | null;
  cleryClass: CleryClass;
  /** Residence halls: relative number of residents. */
  capacity?: number;
}

/** A department: where its staff work, and how many staff and students it has, relatively. */
export interface DemoDepartment {
  name: string;
  buildings: string[];
  staffWeight: number;
  studentWeight: number;
}

/** Every demo Clery class period starts here and stays open. */
export const demoCleryFrom = '2015-07-01';

const demoZones: DemoLocation[] = [
  ['MAIN', 'Main Group', 'on_campus'],
  ['WEST', 'West Campus', 'on_campus'],
  ['EAST', 'East Campus', 'on_campus'],
  ['NORTH', 'North Campus', 'on_campus'],
  ['NORTHWEST', 'North West', 'on_campus'],
  ['MASS-AVE', 'Massachusetts Avenue sidewalk (Memorial Drive to Vassar Street)', 'public_property'],
  ['MEMORIAL-DR', 'Memorial Drive sidewalk along the river', 'public_property'],
  ['VASSAR-ST', 'Vassar Street sidewalk', 'public_property'],
].map(([code, name, cleryClass]) => ({
  kind: 'zone' as const,
  code: code!,
  name: name!,
  zone: null,
  cleryClass: cleryClass as CleryClass,
}));

const building =
  (zone: string | null, cleryClass: CleryClass = 'on_campus') =>
  ([code, name]: [string, string]): DemoLocation => ({ kind: 'building', code, name, zone, cleryClass });

const demoBuildings: DemoLocation[] = [
  ...(
    [
      ['1', 'Building 1 (Civil and Environmental Engineering)'],
      ['2', 'Building 2 (Mathematics)'],
      ['3', 'Building 3 (Mechanical Engineering)'],
      ['4', 'Building 4 (Physics)'],
      ['6', 'Building 6 (Chemistry)'],
      ['7', 'Rogers Building (Lobby 7)'],
      ['10', 'Maclaurin Buildings (Great Dome)'],
      ['13', 'Vannevar Bush Building'],
      ['14', 'Hayden Memorial Library'],
      ['18', 'Dreyfus Building'],
      ['26', 'Compton Laboratories'],
      ['32', 'Stata Center'],
      ['33', 'Guggenheim Laboratory'],
      ['36', 'Fairchild Building'],
      ['46', 'Brain and Cognitive Sciences Complex'],
      ['48', 'Parsons Laboratory'],
      ['50', 'Walker Memorial'],
      ['54', 'Green Building'],
      ['56', 'Whitaker Building'],
      ['66', 'Landau Building'],
      ['68', 'Koch Biology Building'],
      ['76', 'Koch Institute'],
    ] as [string, string][]
  ).map(building('MAIN')),
  ...(
    [
      ['E14', 'Media Lab'],
      ['E15', 'Wiesner Building'],
      ['E17', 'Mudd Building'],
      ['E19', 'Ford Building'],
      ['E23', 'MIT Medical'],
      ['E25', 'Whitaker College'],
      ['E40', 'Muckley Building'],
      ['E51', 'Tang Center'],
      ['E52', 'Chang Building (Economics)'],
      ['E62', 'Sloan School of Management'],
    ] as [string, string][]
  ).map(building('EAST')),
  ...(
    [
      ['N10', 'Facilities Service Center'],
      ['N51', 'N51 (Offices)'],
      ['N52', 'N52 (SEMO; Environment, Health and Safety)'],
    ] as [string, string][]
  ).map(building('NORTH')),
  ...(
    [
      ['NW14', 'Bitter Magnet Laboratory'],
      ['NW16', 'Plasma Science and Fusion Center'],
      ['NW21', 'Plasma Science and Fusion Center (NW21)'],
    ] as [string, string][]
  ).map(building('NORTHWEST')),
  ...(
    [
      ['W11', 'Religious Life Center'],
      ['W15', 'MIT Chapel'],
      ['W16', 'Kresge Auditorium'],
      ['W20', 'Stratton Student Center'],
      ['W31', 'du Pont Gymnasium'],
      ['W35', 'Zesiger Sports and Fitness Center'],
      ['W59', 'W59 (Division of Student Life)'],
      ['W89', 'MIT Police'],
      ['W98', 'W98 (Offices)'],
    ] as [string, string][]
  ).map(building('WEST')),
  ...(
    [
      ['ENDICOTT', 'Endicott House (Dedham)'],
      ['BATES', 'Bates Research and Engineering Center (Middleton)'],
      ['FSILG-BAY-STATE', 'Fraternity house, Bay State Road (Boston)'],
      ['FSILG-BEACON', 'Sorority house, Beacon Street (Boston)'],
    ] as [string, string][]
  ).map(building(null, 'noncampus')),
];

export const demoResidenceHalls: DemoLocation[] = (
  [
    ['W1', 'Maseeh Hall', 'WEST', 460],
    ['W4', 'McCormick Hall', 'WEST', 250],
    ['W7', 'Baker House', 'WEST', 320],
    ['W46', 'New Vassar', 'WEST', 450],
    ['W51', 'Burton Conner', 'WEST', 350],
    ['W61', 'MacGregor House', 'WEST', 320],
    ['W70', 'New House', 'WEST', 290],
    ['W71', 'Next House', 'WEST', 350],
    ['W79', 'Simmons Hall', 'WEST', 340],
    ['W84', 'Tang Hall', 'WEST', 400],
    ['W85', 'Westgate', 'WEST', 300],
    ['62', 'East Campus (Building 62)', 'EAST', 160],
    ['64', 'East Campus (Building 64)', 'EAST', 160],
    ['E2', '70 Amherst Street', 'EAST', 120],
    ['NW10', 'Edgerton House', 'NORTHWEST', 300],
    ['NW30', 'The Warehouse', 'NORTHWEST', 120],
    ['NW35', 'Ashdown House', 'NORTHWEST', 450],
    ['NW61', 'Random Hall', 'NORTHWEST', 93],
    ['NW86', 'Sidney-Pacific', 'NORTHWEST', 700],
  ] as [string, string, string, number][]
).map(([code, name, zone, capacity]) => ({
  kind: 'residence_hall',
  code,
  name,
  zone,
  cleryClass: 'on_campus_student_housing',
  capacity,
}));

/** Every demo location: zones first (others refer to them). */
export const demoLocations: DemoLocation[] = [...demoZones, ...demoBuildings, ...demoResidenceHalls];

export const demoDepartments: DemoDepartment[] = (
  [
    ['Aeronautics and Astronautics', ['33'], 3, 4],
    ['Architecture', ['7'], 3, 3],
    ['Biology', ['68', '56'], 5, 6],
    ['Brain and Cognitive Sciences', ['46'], 4, 4],
    ['Chemical Engineering', ['66'], 3, 4],
    ['Chemistry', ['18', '6'], 4, 4],
    ['Civil and Environmental Engineering', ['1', '48'], 3, 3],
    ['Earth, Atmospheric and Planetary Sciences', ['54'], 3, 2],
    ['Economics', ['E52'], 3, 4],
    ['Electrical Engineering and Computer Science', ['32', '36'], 8, 14],
    ['Materials Science and Engineering', ['13'], 3, 3],
    ['Mathematics', ['2'], 3, 6],
    ['Mechanical Engineering', ['3', '1'], 6, 8],
    ['Media Lab', ['E14', 'E15'], 3, 2],
    ['Nuclear Science and Engineering', ['NW14', '26'], 2, 2],
    ['Physics', ['4', '26', '6'], 5, 6],
    ['Plasma Science and Fusion Center', ['NW16', 'NW21'], 2, 1],
    ['Koch Institute', ['76'], 3, 1],
    ['Sloan School of Management', ['E62', 'E40'], 6, 8],
    ['Athletics, Physical Education and Recreation', ['W35', 'W31'], 3, 0],
    ['Division of Student Life', ['W20', 'W59'], 5, 0],
    ['Environment, Health and Safety', ['N52'], 2, 0],
    ['Facilities', ['N10', 'E19'], 7, 0],
    ['Information Systems and Technology', ['E17', 'W98'], 5, 0],
    ['MIT Libraries', ['14', '10'], 4, 0],
    ['MIT Medical', ['E23'], 4, 0],
    ['MIT Police', ['W89'], 2, 0],
    ['Security and Emergency Management Office', ['N52'], 1, 0],
    ['Religious and Spiritual Life', ['W11', 'W15'], 1, 0],
    ['Office of the Provost', ['10', 'E25'], 2, 0],
  ] as [string, string[], number, number][]
).map(([name, buildings, staffWeight, studentWeight]) => ({ name, buildings, staffWeight, studentWeight }));
