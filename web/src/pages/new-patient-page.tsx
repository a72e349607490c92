/**
 * Entering a new patient by hand (clinicians): the patient's fields, checked with the same row schema as
 * the API; once saved, the patient's page opens, where courses, cycles, labs, scans and events are added.
 */
import { Page } from '../components/page';
import { RecordForm } from '../components/patient/record-form';
import { PATIENT_KIND } from '../components/patient/record-kinds';
import '../components/patient/patient.css';
import { navigate } from '../router';

export function NewPatientPage() {
  return (
    <Page title="New patient">
      <div className="record-form-panel">
        <RecordForm
          kind={PATIENT_KIND}
          patientId={null}
          envelope={null}
          onSaved={(saved) => {
            const id = saved === null ? '' : String(saved.record.patient_id);
            navigate(id === '' ? '/patients' : `/patients/${encodeURIComponent(id)}`);
          }}
          onCancel={() => {
            navigate('/patients');
          }}
        />
      </div>
    </Page>
  );
}
