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
    <name>HistoryChart</name>
    <message>
        <source>%1 from %2 % to %3 %</source>
        <translation>%1 de %2&#xa0;% a %3&#xa0;%</translation>
    </message>
    <message numerus="yes">
        <source>Mastery over %n answer(s): </source>
        <translation>
            <numerusform>Dominio en %n respuesta: </numerusform>
            <numerusform>Dominio en %n respuestas: </numerusform>
        </translation>
    </message>
    <message>
        <source>Mastery over time</source>
        <translation>Dominio a lo largo del tiempo</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n respuesta</numerusform>
            <numerusform>%n respuestas</numerusform>
        </translation>
    </message>
    <message>
        <source>Answer a few questions to see your mastery grow here.</source>
        <translation>Responde algunas preguntas para ver crecer tu dominio aquí.</translation>
    </message>
</context>
<context>
    <name>KioskPinDialog</name>
    <message>
        <source>Teacher PIN to close Kite</source>
        <translation>PIN docente para cerrar Kite</translation>
    </message>
    <message>
        <source>Teacher PIN to open Settings</source>
        <translation>PIN docente para abrir los ajustes</translation>
    </message>
    <message>
        <source>This is a kiosk. A teacher&apos;s PIN is needed.</source>
        <translation>Este dispositivo está en modo quiosco. Hace falta el PIN de un docente.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Teacher PIN</source>
        <translation>PIN docente</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Close Kite</source>
        <translation>Cerrar Kite</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
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
    <message>
        <source>Import a course…</source>
        <translation>Importar un curso…</translation>
    </message>
    <message>
        <source>Import a course package</source>
        <translation>Importar un paquete de curso</translation>
    </message>
    <message>
        <source>Kite course packages (*.kitepack)</source>
        <translation>Paquetes de curso de Kite (*.kitepack)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
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
    <message>
        <source>Teacher</source>
        <translation>Docente</translation>
    </message>
</context>
<context>
    <name>PollPromptOverlay</name>
    <message>
        <source>Your teacher asks</source>
        <translation>Pregunta de tu docente</translation>
    </message>
    <message>
        <source>Answer %1</source>
        <translation>Responder %1</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Tu respuesta</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Sent: %1. You may change it until the poll closes.</source>
        <translation>Enviado: %1. Puedes cambiar tu respuesta hasta que se cierre la encuesta.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Ahora no</translation>
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
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n respuesta</numerusform>
            <numerusform>%n respuestas</numerusform>
        </translation>
    </message>
    <message>
        <source>School (BKT)</source>
        <translation>Escuela (BKT)</translation>
    </message>
    <message>
        <source>Mastery of %1 at the school, BKT</source>
        <translation>Dominio de %1 en la escuela, BKT</translation>
    </message>
    <message>
        <source>%1% · %2</source>
        <translation>%1&#xa0;% · %2</translation>
    </message>
    <message>
        <source>Chance of %1 right at the next answer, school&apos;s DKT</source>
        <translation>Probabilidad de acertar %1 en la próxima respuesta, DKT de la escuela</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Student</source>
        <translation>Estudiante</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1&#xa0;%</translation>
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
    <message>
        <source>Kiosk mode</source>
        <translation>Modo quiosco</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>Welcome to Kite</source>
        <translation>Te damos la bienvenida a Kite</translation>
    </message>
    <message>
        <source>Connect to your school to get its courses and keep your work safe on its server, or study on this device on your own.</source>
        <translation>Conéctate a tu escuela para recibir sus cursos y guardar tu trabajo a salvo en su servidor, o estudia por tu cuenta en este dispositivo.</translation>
    </message>
    <message>
        <source>Connect to my school</source>
        <translation>Conectarme a mi escuela</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <source>kite.school.org:8080</source>
        <translation>kite.school.org:8080</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>Código de inscripción</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Conectando</translation>
    </message>
    <message>
        <source>Study on this device</source>
        <translation>Estudiar en este dispositivo</translation>
    </message>
    <message>
        <source>Start with the sample course, without a school server</source>
        <translation>Empezar con el curso de ejemplo, sin servidor escolar</translation>
    </message>
    <message>
        <source>Import a course…</source>
        <translation>Importar un curso…</translation>
    </message>
    <message>
        <source>Import a course package</source>
        <translation>Importar un paquete de curso</translation>
    </message>
    <message>
        <source>Kite course packages (*.kitepack)</source>
        <translation>Paquetes de curso de Kite (*.kitepack)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
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
    <message>
        <source>Sync: %1</source>
        <translation>Sincronización: %1</translation>
    </message>
    <message>
        <source>Show the sync details</source>
        <translation>Ver los detalles de la sincronización</translation>
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
    <name>TeacherPage</name>
    <message>
        <source>Teacher</source>
        <translation>Docente</translation>
    </message>
    <message>
        <source>Teacher mode needs the school server; this device has none.</source>
        <translation>El modo docente necesita el servidor de la escuela; este dispositivo no tiene ninguno.</translation>
    </message>
    <message>
        <source>Paste the teacher token the school&apos;s admin gave you. It is checked with the school server and kept on this device until you leave teacher mode.</source>
        <translation>Pega el token docente que te dio el administrador de la escuela. Se comprueba con el servidor de la escuela y se guarda en este dispositivo hasta que salgas del modo docente.</translation>
    </message>
    <message>
        <source>Teacher token</source>
        <translation>Token docente</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Enter teacher mode</source>
        <translation>Entrar en modo docente</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Clase</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● En directo</translation>
    </message>
    <message>
        <source>○ Not live: reconnecting</source>
        <translation>○ Sin directo: reconectando</translation>
    </message>
    <message>
        <source>The heatmap updates live</source>
        <translation>El mapa de calor se actualiza en directo</translation>
    </message>
    <message>
        <source>Not connected to the school server&apos;s stream; reconnecting</source>
        <translation>Sin conexión con el flujo del servidor de la escuela; reconectando</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Leave teacher mode</source>
        <translation>Salir del modo docente</translation>
    </message>
    <message>
        <source>The school has no classes yet: the school&apos;s admin or a teacher makes them.</source>
        <translation>La escuela aún no tiene clases: las crea el administrador de la escuela o un docente.</translation>
    </message>
    <message>
        <source>No learners in this class yet.</source>
        <translation>Todavía no hay estudiantes en esta clase.</translation>
    </message>
    <message>
        <source>No answers from this class yet.</source>
        <translation>Todavía no hay respuestas de esta clase.</translation>
    </message>
    <message>
        <source>Mastery by learner and skill</source>
        <translation>Dominio por estudiante y habilidad</translation>
    </message>
    <message>
        <source>Mastery heatmap</source>
        <translation>Mapa de calor del dominio</translation>
    </message>
    <message>
        <source>Legend: red is little mastery, amber about half, green mastered; a dash is no answers yet</source>
        <translation>Leyenda: rojo, poco dominio; ámbar, cerca de la mitad; verde, dominado; un guion, aún sin respuestas</translation>
    </message>
    <message>
        <source>0 %</source>
        <translation>0&#xa0;%</translation>
    </message>
    <message>
        <source>100 %</source>
        <translation>100&#xa0;%</translation>
    </message>
    <message>
        <source>   – no answers yet</source>
        <translation>   – aún sin respuestas</translation>
    </message>
    <message>
        <source>Live poll</source>
        <translation>Encuesta en directo</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Pregunta</translation>
    </message>
    <message>
        <source>What is ½ + ¼?</source>
        <translation>¿Cuánto es ½ + ¼?</translation>
    </message>
    <message>
        <source>Poll question</source>
        <translation>Pregunta de la encuesta</translation>
    </message>
    <message>
        <source>Options, one a line</source>
        <translation>Opciones, una por línea</translation>
    </message>
    <message>
        <source>¾
½
⅔</source>
        <translation>¾
½
⅔</translation>
    </message>
    <message>
        <source>Poll options, one a line</source>
        <translation>Opciones de la encuesta, una por línea</translation>
    </message>
    <message>
        <source>Open the poll</source>
        <translation>Abrir la encuesta</translation>
    </message>
    <message>
        <source>Or an item</source>
        <translation>O un ejercicio</translation>
    </message>
    <message>
        <source>Course item to ask</source>
        <translation>Ejercicio del curso para preguntar</translation>
    </message>
    <message>
        <source>Ask this item</source>
        <translation>Plantear este ejercicio</translation>
    </message>
    <message numerus="yes">
        <source>Closed: %n answer(s)</source>
        <translation>
            <numerusform>Cerrada: %n respuesta</numerusform>
            <numerusform>Cerrada: %n respuestas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open: %n answer(s) so far</source>
        <translation>
            <numerusform>Abierta: %n respuesta hasta ahora</numerusform>
            <numerusform>Abierta: %n respuestas hasta ahora</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n answer(s)</source>
        <translation>
            <numerusform>%1: %n respuesta</numerusform>
            <numerusform>%1: %n respuestas</numerusform>
        </translation>
    </message>
    <message>
        <source>Close the poll and show the results</source>
        <translation>Cerrar la encuesta y mostrar los resultados</translation>
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
    <name>kite::ui::KioskGuard</name>
    <message>
        <source>This kiosk has no teacher PIN: anyone can close Kite or change its settings. Ask your school&apos;s IT to set one (kiosk/teacher_pin_hash).</source>
        <translation>Este quiosco no tiene PIN docente: cualquiera puede cerrar Kite o cambiar sus ajustes. Pide al servicio informático de tu escuela que defina uno (kiosk/teacher_pin_hash).</translation>
    </message>
    <message>
        <source>This kiosk&apos;s teacher PIN setting (kiosk/teacher_pin_hash) is not a PIN hash made by &apos;kite --hash-pin&apos;, so it is ignored: anyone can close Kite or change its settings.</source>
        <translation>El ajuste de PIN docente de este quiosco (kiosk/teacher_pin_hash) no es un hash de PIN creado con «kite --hash-pin», así que se ignora: cualquiera puede cerrar Kite o cambiar sus ajustes.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Ese PIN no es correcto.</translation>
    </message>
</context>
<context>
    <name>kite::ui::LibraryModel</name>
    <message>
        <source>The library cannot be read: %1</source>
        <translation>No se puede leer la biblioteca: %1</translation>
    </message>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>(y %n más)</numerusform>
            <numerusform>(y %n más)</numerusform>
        </translation>
    </message>
    <message>
        <source>Installed &quot;%1&quot; (version %2).</source>
        <translation>Curso «%1» instalado (versión %2).</translation>
    </message>
    <message>
        <source>%1 was not installed: %2</source>
        <translation>%1 no se instaló: %2</translation>
    </message>
</context>
<context>
    <name>kite::ui::MasteryTable</name>
    <message>
        <source>%1, %2: no answers yet</source>
        <translation>%1, %2: aún sin respuestas</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(sin nombre)</translation>
    </message>
</context>
<context>
    <name>kite::ui::PollModel</name>
    <message>
        <source>write the question first</source>
        <translation>escribe primero la pregunta</translation>
    </message>
    <message>
        <source>give at least two different options, one a line</source>
        <translation>da al menos dos opciones distintas, una por línea</translation>
    </message>
    <message>
        <source>pick an item of the course first</source>
        <translation>elige primero un ejercicio del curso</translation>
    </message>
    <message>
        <source>enter teacher mode first</source>
        <translation>entra primero en modo docente</translation>
    </message>
    <message>
        <source>close the poll that is open first</source>
        <translation>cierra primero la encuesta abierta</translation>
    </message>
</context>
<context>
    <name>kite::ui::PollPrompt</name>
    <message>
        <source>Your teacher asks about item %1 of %2, which this device does not have.</source>
        <translation>Tu docente pregunta por el ejercicio %1 de %2, que este dispositivo no tiene.</translation>
    </message>
    <message>
        <source>write an answer of 1 to 200 characters</source>
        <translation>escribe una respuesta de 1 a 200 caracteres</translation>
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
    <name>kite::ui::Setup</name>
    <message>
        <source>Type the address of your school&apos;s Kite server.</source>
        <translation>Escribe la dirección del servidor Kite de tu escuela.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server address; it looks like kite.school.org:8080 or https://kite.school.org.</source>
        <translation>«%1» no es una dirección de servidor; una dirección es como kite.school.org:8080 o https://kite.school.org.</translation>
    </message>
    <message>
        <source>Type the enrollment code your school gave you.</source>
        <translation>Escribe el código de inscripción que te dio tu escuela.</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>No se pudo conectar: %1</translation>
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
<context>
    <name>kite::ui::TeacherModel</name>
    <message>
        <source>teacher mode needs the school server: this device has none</source>
        <translation>el modo docente necesita el servidor de la escuela: este dispositivo no tiene ninguno</translation>
    </message>
    <message>
        <source>paste the teacher token the school&apos;s admin gave you</source>
        <translation>pega el token docente que te dio el administrador de la escuela</translation>
    </message>
    <message>
        <source>the teacher token could not be kept on this device: %1</source>
        <translation>no se pudo guardar el token docente en este dispositivo: %1</translation>
    </message>
</context>
</TS>
