import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import type { OverviewFilter } from '../../api/CanaryApi';
import type { FilterKey } from './filters';

const LABELS: Record<FilterKey, string> = { owner: 'Owner', phase: 'Phase', cluster: 'Cluster' };

export function OverviewFilters(props: {
  filter: OverviewFilter;
  options: Record<FilterKey, string[]>;
  onChange(key: FilterKey, value: string): void;
}) {
  return (
    <Box display="flex" flexWrap="wrap" mb={2} data-testid="overview-filters">
      {(Object.keys(LABELS) as FilterKey[]).map(key => (
        <Box key={key} mr={2} minWidth={200}>
          <FormControl fullWidth variant="outlined" size="small">
            <InputLabel id={`canary-filter-${key}`}>{LABELS[key]}</InputLabel>
            <Select
              labelId={`canary-filter-${key}`}
              label={LABELS[key]}
              value={props.filter[key] ?? ''}
              onChange={event => props.onChange(key, String(event.target.value))}
            >
              <MenuItem value="">
                <em>All</em>
              </MenuItem>
              {props.options[key].map(option => (
                <MenuItem key={option} value={option}>
                  {option}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        </Box>
      ))}
    </Box>
  );
}
