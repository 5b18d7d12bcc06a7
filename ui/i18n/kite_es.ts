<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Export diagnostics</source>
        <translation>Exportar diagnóstico</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
</context>
<context>
    <name>LessonPage</name>
    <message>
        <source>Practise this lesson</source>
        <translation>Practicar esta lección</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>%1 of %2 skills mastered</source>
        <translation>%1 de %2 habilidades dominadas</translation>
    </message>
    <message>
        <source>Downloading… %1%</source>
        <translation>Descargando… %1&#xa0;%</translation>
    </message>
    <message>
        <source>Update available (%1 kB)</source>
        <translation>Actualización disponible (%1&#xa0;kB)</translation>
    </message>
    <message>
        <source>Available from the school (%1 kB)</source>
        <translation>Disponible en la escuela (%1&#xa0;kB)</translation>
    </message>
    <message>
        <source>Practise</source>
        <translation>Practicar</translation>
    </message>
    <message>
        <source>, complete</source>
        <translation>, completado</translation>
    </message>
    <message>
        <source>No courses yet.</source>
        <translation>Todavía no hay cursos.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Kite</source>
        <translation>Kite</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>%1 · Sign out</source>
        <translation>%1 · Cerrar sesión</translation>
    </message>
</context>
<context>
    <name>PracticePage</name>
    <message>
        <source>Check</source>
        <translation>Comprobar</translation>
    </message>
    <message>
        <source>Answer in %1</source>
        <translation>Respuesta en %1</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Tu respuesta</translation>
    </message>
    <message>
        <source>Right!</source>
        <translation>¡Correcto!</translation>
    </message>
    <message>
        <source>Not quite.</source>
        <translation>No exactamente.</translation>
    </message>
    <message>
        <source>Mastery of %1</source>
        <translation>Dominio de %1</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>Pista</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Saltar</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Your progress</source>
        <translation>Tu progreso</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>Este dispositivo</translation>
    </message>
    <message>
        <source>Mastery of %1 on this device</source>
        <translation>Dominio de %1 en este dispositivo</translation>
    </message>
    <message>
        <source>School (DKT)</source>
        <translation>Escuela (DKT)</translation>
    </message>
    <message>
        <source>computed %1</source>
        <translation>calculado %1</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n respuesta</numerusform>
            <numerusform>%n respuestas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Student</source>
        <translation>Estudiante</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>School server</source>
        <translation>Servidor de la escuela</translation>
    </message>
    <message>
        <source>none: this device only</source>
        <translation>ninguno: solo este dispositivo</translation>
    </message>
    <message>
        <source>Pause sync</source>
        <translation>Pausar la sincronización</translation>
    </message>
    <message>
        <source>Sync on metered connections</source>
        <translation>Sincronizar con conexiones de uso medido</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
    <message>
        <source>Settings marked unavailable are set by your school&apos;s IT.</source>
        <translation>Los ajustes no disponibles los fija el servicio informático de tu escuela.</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Who is studying?</source>
        <translation>¿Quién va a estudiar?</translation>
    </message>
    <message>
        <source>Sign in as %1</source>
        <translation>Iniciar sesión como %1</translation>
    </message>
    <message>
        <source>Your PIN</source>
        <translation>Tu PIN</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>SyncBadge</name>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
</context>
<context>
    <name>SyncDetailsPage</name>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Pause sync</source>
        <translation>Pausar la sincronización</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>Exportar diagnóstico…</translation>
    </message>
    <message>
        <source>Export diagnostics to a zip file</source>
        <translation>Exportar el diagnóstico a un archivo zip</translation>
    </message>
</context>
<context>
    <name>kite::ui::Diagnostics</name>
    <message>
        <source>Could not save the diagnostics: %1</source>
        <translation>No se pudo guardar el diagnóstico: %1</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1</source>
        <translation>Diagnóstico guardado en %1</translation>
    </message>
    <message>
        <source>Saving the diagnostics…</source>
        <translation>Guardando el diagnóstico…</translation>
    </message>
</context>
<context>
    <name>kite::ui::LibraryModel</name>
    <message>
        <source>The library cannot be read: %1</source>
        <translation>No se puede leer la biblioteca: %1</translation>
    </message>
</context>
<context>
    <name>kite::ui::PracticeModel</name>
    <message>
        <source>This course cannot be opened: %1</source>
        <translation>No se puede abrir este curso: %1</translation>
    </message>
    <message>
        <source>This course has no practice items.</source>
        <translation>Este curso no tiene ejercicios.</translation>
    </message>
    <message>
        <source>Your answer could not be saved: %1</source>
        <translation>No se pudo guardar tu respuesta: %1</translation>
    </message>
    <message>
        <source>Your progress could not be saved: %1</source>
        <translation>No se pudo guardar tu progreso: %1</translation>
    </message>
</context>
<context>
    <name>kite::ui::ProgressModel</name>
    <message>
        <source>Progress cannot be read: %1</source>
        <translation>No se puede leer el progreso: %1</translation>
    </message>
</context>
<context>
    <name>kite::ui::SignIn</name>
    <message>
        <source>The learners cannot be read: %1</source>
        <translation>No se puede leer la lista de estudiantes: %1</translation>
    </message>
    <message>
        <source>No such learner on this device.</source>
        <translation>Ese estudiante no existe en este dispositivo.</translation>
    </message>
    <message>
        <source>The PIN cannot be checked: %1</source>
        <translation>No se puede comprobar el PIN: %1</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Ese PIN no es correcto.</translation>
    </message>
</context>
<context>
    <name>kite::ui::SyncIndicator</name>
    <message>
        <source>just now</source>
        <translation>ahora mismo</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>hace %n&#xa0;min</numerusform>
            <numerusform>hace %n&#xa0;min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>hace %n&#xa0;h</numerusform>
            <numerusform>hace %n&#xa0;h</numerusform>
        </translation>
    </message>
    <message>
        <source>On this device only</source>
        <translation>Solo en este dispositivo</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n pendiente</numerusform>
            <numerusform>%n pendientes</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline · %1</source>
        <translation>Sin conexión · %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Downloading %1 · %2%</source>
        <translation>Descargando %1 · %2&#xa0;%</translation>
    </message>
    <message>
        <source>Syncing · %1</source>
        <translation>Sincronizando · %1</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Sincronizando</translation>
    </message>
    <message>
        <source>Up to date · %1</source>
        <translation>Al día · %1</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Al día</translation>
    </message>
    <message>
        <source>Sync paused · %1</source>
        <translation>Sincronización en pausa · %1</translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation>Sincronización en pausa</translation>
    </message>
    <message>
        <source>Not connected to the school: enroll again</source>
        <translation>Sin enlace con la escuela: vuelve a registrar el dispositivo</translation>
    </message>
    <message>
        <source>Sync problem · %1</source>
        <translation>Problema de sincronización · %1</translation>
    </message>
    <message>
        <source>Sync problem</source>
        <translation>Problema de sincronización</translation>
    </message>
    <message>
        <source>This device is not connected to a school server: answers stay here.</source>
        <translation>Este dispositivo no está conectado a ningún servidor escolar: las respuestas se quedan aquí.</translation>
    </message>
    <message>
        <source>Last synced %1.</source>
        <translation>Última sincronización: %1.</translation>
    </message>
    <message>
        <source>Not synced with the school yet.</source>
        <translation>Aún no se ha sincronizado con la escuela.</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) kept on this device until the school has them.</source>
        <translation>
            <numerusform>%n respuesta guardada en este dispositivo hasta que la escuela la reciba.</numerusform>
            <numerusform>%n respuestas guardadas en este dispositivo hasta que la escuela las reciba.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) the school refused are kept aside.</source>
        <translation>
            <numerusform>%n evento rechazado por la escuela se guarda aparte.</numerusform>
            <numerusform>%n eventos rechazados por la escuela se guardan aparte.</numerusform>
        </translation>
    </message>
</context>
</TS>
