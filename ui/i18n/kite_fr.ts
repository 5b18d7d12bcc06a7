<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Export diagnostics</source>
        <translation>Exporter les diagnostics</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Archives zip (*.zip)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
</context>
<context>
    <name>HistoryChart</name>
    <message>
        <source>%1 from %2 % to %3 %</source>
        <translation>%1 de %2&#xa0;% à %3&#xa0;%</translation>
    </message>
    <message numerus="yes">
        <source>Mastery over %n answer(s): </source>
        <translation>
            <numerusform>Maîtrise sur %n réponse&#xa0;: </numerusform>
            <numerusform>Maîtrise sur %n réponses&#xa0;: </numerusform>
        </translation>
    </message>
    <message>
        <source>Mastery over time</source>
        <translation>Maîtrise au fil du temps</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n réponse</numerusform>
            <numerusform>%n réponses</numerusform>
        </translation>
    </message>
    <message>
        <source>Answer a few questions to see your mastery grow here.</source>
        <translation>Réponds à quelques questions pour voir ta maîtrise grandir ici.</translation>
    </message>
</context>
<context>
    <name>KioskPinDialog</name>
    <message>
        <source>Teacher PIN to close Kite</source>
        <translation>Code PIN enseignant pour fermer Kite</translation>
    </message>
    <message>
        <source>Teacher PIN to open Settings</source>
        <translation>Code PIN enseignant pour ouvrir les paramètres</translation>
    </message>
    <message>
        <source>This is a kiosk. A teacher&apos;s PIN is needed.</source>
        <translation>Cet appareil est en mode kiosque. Le code PIN d’un enseignant est nécessaire.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Teacher PIN</source>
        <translation>Code PIN enseignant</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Close Kite</source>
        <translation>Fermer Kite</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
</context>
<context>
    <name>LessonPage</name>
    <message>
        <source>Practise this lesson</source>
        <translation>S’entraîner sur cette leçon</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>%1 of %2 skills mastered</source>
        <translation>%1 compétences maîtrisées sur %2</translation>
    </message>
    <message>
        <source>Downloading… %1%</source>
        <translation>Téléchargement… %1&#xa0;%</translation>
    </message>
    <message>
        <source>Update available (%1 kB)</source>
        <translation>Mise à jour disponible (%1&#xa0;ko)</translation>
    </message>
    <message>
        <source>Available from the school (%1 kB)</source>
        <translation>Disponible auprès de l’école (%1&#xa0;ko)</translation>
    </message>
    <message>
        <source>Practise</source>
        <translation>S’entraîner</translation>
    </message>
    <message>
        <source>, complete</source>
        <translation>, terminé</translation>
    </message>
    <message>
        <source>No courses yet.</source>
        <translation>Aucun cours pour l’instant.</translation>
    </message>
    <message>
        <source>Import a course…</source>
        <translation>Importer un cours…</translation>
    </message>
    <message>
        <source>Import a course package</source>
        <translation>Importer un paquet de cours</translation>
    </message>
    <message>
        <source>Kite course packages (*.kitepack)</source>
        <translation>Paquets de cours Kite (*.kitepack)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
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
        <translation>Retour</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothèque</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progrès</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>%1 · Sign out</source>
        <translation>%1 · Se déconnecter</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Enseignant</translation>
    </message>
</context>
<context>
    <name>PollPromptOverlay</name>
    <message>
        <source>Your teacher asks</source>
        <translation>Question de ton enseignant</translation>
    </message>
    <message>
        <source>Answer %1</source>
        <translation>Répondre %1</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Ta réponse</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>Sent: %1. You may change it until the poll closes.</source>
        <translation>Envoyé&#xa0;: %1. Tu peux changer ta réponse jusqu’à la fermeture du sondage.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
</context>
<context>
    <name>PracticePage</name>
    <message>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <source>Answer in %1</source>
        <translation>Réponse en %1</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Ta réponse</translation>
    </message>
    <message>
        <source>Right!</source>
        <translation>Juste&#xa0;!</translation>
    </message>
    <message>
        <source>Not quite.</source>
        <translation>Pas tout à fait.</translation>
    </message>
    <message>
        <source>Mastery of %1</source>
        <translation>Maîtrise de %1</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>Indice</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Your progress</source>
        <translation>Tes progrès</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>Cet appareil</translation>
    </message>
    <message>
        <source>Mastery of %1 on this device</source>
        <translation>Maîtrise de %1 sur cet appareil</translation>
    </message>
    <message>
        <source>School (DKT)</source>
        <translation>École (DKT)</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n réponse</numerusform>
            <numerusform>%n réponses</numerusform>
        </translation>
    </message>
    <message>
        <source>School (BKT)</source>
        <translation>École (BKT)</translation>
    </message>
    <message>
        <source>Mastery of %1 at the school, BKT</source>
        <translation>Maîtrise de %1 à l’école, BKT</translation>
    </message>
    <message>
        <source>%1% · %2</source>
        <translation>%1&#xa0;% · %2</translation>
    </message>
    <message>
        <source>Chance of %1 right at the next answer, school&apos;s DKT</source>
        <translation>Probabilité de réussir %1 à la prochaine réponse, DKT de l’école</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Student</source>
        <translation>Élève</translation>
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
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>School server</source>
        <translation>Serveur de l’école</translation>
    </message>
    <message>
        <source>none: this device only</source>
        <translation>aucun&#xa0;: cet appareil seulement</translation>
    </message>
    <message>
        <source>Pause sync</source>
        <translation>Suspendre la synchronisation</translation>
    </message>
    <message>
        <source>Sync on metered connections</source>
        <translation>Synchroniser sur les connexions limitées</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Taille du texte</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <source>Settings marked unavailable are set by your school&apos;s IT.</source>
        <translation>Les paramètres indisponibles sont fixés par le service informatique de ton école.</translation>
    </message>
    <message>
        <source>Kiosk mode</source>
        <translation>Mode kiosque</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>Welcome to Kite</source>
        <translation>Bienvenue dans Kite</translation>
    </message>
    <message>
        <source>Connect to your school to get its courses and keep your work safe on its server, or study on this device on your own.</source>
        <translation>Connecte-toi à ton école pour recevoir ses cours et garder ton travail en sécurité sur son serveur, ou étudie en autonomie sur cet appareil.</translation>
    </message>
    <message>
        <source>Connect to my school</source>
        <translation>Me connecter à mon école</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>kite.school.org:8080</source>
        <translation>kite.school.org:8080</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>Code d’inscription</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Connexion en cours</translation>
    </message>
    <message>
        <source>Study on this device</source>
        <translation>Étudier sur cet appareil</translation>
    </message>
    <message>
        <source>Start with the sample course, without a school server</source>
        <translation>Commencer avec le cours d’exemple, sans serveur d’école</translation>
    </message>
    <message>
        <source>Import a course…</source>
        <translation>Importer un cours…</translation>
    </message>
    <message>
        <source>Import a course package</source>
        <translation>Importer un paquet de cours</translation>
    </message>
    <message>
        <source>Kite course packages (*.kitepack)</source>
        <translation>Paquets de cours Kite (*.kitepack)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Who is studying?</source>
        <translation>Qui étudie&#xa0;?</translation>
    </message>
    <message>
        <source>Sign in as %1</source>
        <translation>Se connecter en tant que %1</translation>
    </message>
    <message>
        <source>Your PIN</source>
        <translation>Ton code PIN</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
</context>
<context>
    <name>SyncBadge</name>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Sync: %1</source>
        <translation>Synchronisation&#xa0;: %1</translation>
    </message>
    <message>
        <source>Show the sync details</source>
        <translation>Voir les détails de la synchronisation</translation>
    </message>
</context>
<context>
    <name>SyncDetailsPage</name>
    <message>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Pause sync</source>
        <translation>Suspendre la synchronisation</translation>
    </message>
    <message>
        <source>Export diagnostics…</source>
        <translation>Exporter les diagnostics…</translation>
    </message>
    <message>
        <source>Export diagnostics to a zip file</source>
        <translation>Exporter les diagnostics dans un fichier zip</translation>
    </message>
</context>
<context>
    <name>TeacherPage</name>
    <message>
        <source>Teacher</source>
        <translation>Enseignant</translation>
    </message>
    <message>
        <source>Teacher mode needs the school server; this device has none.</source>
        <translation>Le mode enseignant a besoin du serveur de l’école&#xa0;; cet appareil n’en a pas.</translation>
    </message>
    <message>
        <source>Paste the teacher token the school&apos;s admin gave you. It is checked with the school server and kept on this device until you leave teacher mode.</source>
        <translation>Colle le jeton enseignant que l’administrateur de l’école t’a donné. Il est vérifié auprès du serveur de l’école et gardé sur cet appareil jusqu’à ce que tu quittes le mode enseignant.</translation>
    </message>
    <message>
        <source>Teacher token</source>
        <translation>Jeton enseignant</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Enter teacher mode</source>
        <translation>Passer en mode enseignant</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● En direct</translation>
    </message>
    <message>
        <source>○ Not live: reconnecting</source>
        <translation>○ Hors direct&#xa0;: reconnexion</translation>
    </message>
    <message>
        <source>The heatmap updates live</source>
        <translation>La carte de chaleur se met à jour en direct</translation>
    </message>
    <message>
        <source>Not connected to the school server&apos;s stream; reconnecting</source>
        <translation>Pas connecté au flux du serveur de l’école&#xa0;; reconnexion</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Leave teacher mode</source>
        <translation>Quitter le mode enseignant</translation>
    </message>
    <message>
        <source>The school has no classes yet: the school&apos;s admin or a teacher makes them.</source>
        <translation>L’école n’a pas encore de classes&#xa0;: c’est l’administrateur de l’école ou un enseignant qui les crée.</translation>
    </message>
    <message>
        <source>No learners in this class yet.</source>
        <translation>Pas encore d’élèves dans cette classe.</translation>
    </message>
    <message>
        <source>No answers from this class yet.</source>
        <translation>Pas encore de réponses de cette classe.</translation>
    </message>
    <message>
        <source>Mastery by learner and skill</source>
        <translation>Maîtrise par élève et par compétence</translation>
    </message>
    <message>
        <source>Mastery heatmap</source>
        <translation>Carte de chaleur de la maîtrise</translation>
    </message>
    <message>
        <source>Legend: red is little mastery, amber about half, green mastered; a dash is no answers yet</source>
        <translation>Légende&#xa0;: rouge, peu de maîtrise&#xa0;; orange, environ la moitié&#xa0;; vert, maîtrisé&#xa0;; un tiret, pas encore de réponses</translation>
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
        <translation>   – pas encore de réponses</translation>
    </message>
    <message>
        <source>Live poll</source>
        <translation>Sondage en direct</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>What is ½ + ¼?</source>
        <translation>Combien font ½ + ¼&#xa0;?</translation>
    </message>
    <message>
        <source>Poll question</source>
        <translation>Question du sondage</translation>
    </message>
    <message>
        <source>Options, one a line</source>
        <translation>Choix, un par ligne</translation>
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
        <translation>Choix du sondage, un par ligne</translation>
    </message>
    <message>
        <source>Open the poll</source>
        <translation>Ouvrir le sondage</translation>
    </message>
    <message>
        <source>Or an item</source>
        <translation>Ou un exercice</translation>
    </message>
    <message>
        <source>Course item to ask</source>
        <translation>Exercice du cours à proposer</translation>
    </message>
    <message>
        <source>Ask this item</source>
        <translation>Proposer cet exercice</translation>
    </message>
    <message numerus="yes">
        <source>Closed: %n answer(s)</source>
        <translation>
            <numerusform>Fermé&#xa0;: %n réponse</numerusform>
            <numerusform>Fermé&#xa0;: %n réponses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open: %n answer(s) so far</source>
        <translation>
            <numerusform>Ouvert&#xa0;: %n réponse pour l’instant</numerusform>
            <numerusform>Ouvert&#xa0;: %n réponses pour l’instant</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n answer(s)</source>
        <translation>
            <numerusform>%1&#xa0;: %n réponse</numerusform>
            <numerusform>%1&#xa0;: %n réponses</numerusform>
        </translation>
    </message>
    <message>
        <source>Close the poll and show the results</source>
        <translation>Fermer le sondage et montrer les résultats</translation>
    </message>
</context>
<context>
    <name>kite::ui::Diagnostics</name>
    <message>
        <source>Could not save the diagnostics: %1</source>
        <translation>Impossible d’enregistrer les diagnostics&#xa0;: %1</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1</source>
        <translation>Diagnostics enregistrés dans %1</translation>
    </message>
    <message>
        <source>Saving the diagnostics…</source>
        <translation>Enregistrement des diagnostics…</translation>
    </message>
</context>
<context>
    <name>kite::ui::KioskGuard</name>
    <message>
        <source>This kiosk has no teacher PIN: anyone can close Kite or change its settings. Ask your school&apos;s IT to set one (kiosk/teacher_pin_hash).</source>
        <translation>Ce kiosque n’a pas de code PIN enseignant&#xa0;: n’importe qui peut fermer Kite ou changer ses paramètres. Demande au service informatique de ton école d’en définir un (kiosk/teacher_pin_hash).</translation>
    </message>
    <message>
        <source>This kiosk&apos;s teacher PIN setting (kiosk/teacher_pin_hash) is not a PIN hash made by &apos;kite --hash-pin&apos;, so it is ignored: anyone can close Kite or change its settings.</source>
        <translation>Le réglage du code PIN enseignant de ce kiosque (kiosk/teacher_pin_hash) n’est pas une empreinte de PIN créée par «&#xa0;kite --hash-pin&#xa0;»&#xa0;: il est donc ignoré et n’importe qui peut fermer Kite ou changer ses paramètres.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Ce code PIN n’est pas le bon.</translation>
    </message>
</context>
<context>
    <name>kite::ui::LibraryModel</name>
    <message>
        <source>The library cannot be read: %1</source>
        <translation>Impossible de lire la bibliothèque&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>(et %n autre)</numerusform>
            <numerusform>(et %n autres)</numerusform>
        </translation>
    </message>
    <message>
        <source>Installed &quot;%1&quot; (version %2).</source>
        <translation>Cours «&#xa0;%1&#xa0;» installé (version %2).</translation>
    </message>
    <message>
        <source>%1 was not installed: %2</source>
        <translation>%1 n’a pas été installé&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>kite::ui::MasteryTable</name>
    <message>
        <source>%1, %2: no answers yet</source>
        <translation>%1, %2&#xa0;: pas encore de réponses</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1, %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
</context>
<context>
    <name>kite::ui::PollModel</name>
    <message>
        <source>write the question first</source>
        <translation>écris d’abord la question</translation>
    </message>
    <message>
        <source>give at least two different options, one a line</source>
        <translation>donne au moins deux choix différents, un par ligne</translation>
    </message>
    <message>
        <source>pick an item of the course first</source>
        <translation>choisis d’abord un exercice du cours</translation>
    </message>
    <message>
        <source>enter teacher mode first</source>
        <translation>passe d’abord en mode enseignant</translation>
    </message>
    <message>
        <source>close the poll that is open first</source>
        <translation>ferme d’abord le sondage ouvert</translation>
    </message>
</context>
<context>
    <name>kite::ui::PollPrompt</name>
    <message>
        <source>Your teacher asks about item %1 of %2, which this device does not have.</source>
        <translation>Ton enseignant pose une question sur l’exercice %1 de %2, que cet appareil n’a pas.</translation>
    </message>
    <message>
        <source>write an answer of 1 to 200 characters</source>
        <translation>écris une réponse de 1 à 200 caractères</translation>
    </message>
</context>
<context>
    <name>kite::ui::PracticeModel</name>
    <message>
        <source>This course cannot be opened: %1</source>
        <translation>Impossible d’ouvrir ce cours&#xa0;: %1</translation>
    </message>
    <message>
        <source>This course has no practice items.</source>
        <translation>Ce cours n’a pas d’exercices.</translation>
    </message>
    <message>
        <source>Your answer could not be saved: %1</source>
        <translation>Ta réponse n’a pas pu être enregistrée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Your progress could not be saved: %1</source>
        <translation>Tes progrès n’ont pas pu être enregistrés&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>kite::ui::ProgressModel</name>
    <message>
        <source>Progress cannot be read: %1</source>
        <translation>Impossible de lire les progrès&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>kite::ui::Setup</name>
    <message>
        <source>Type the address of your school&apos;s Kite server.</source>
        <translation>Saisis l’adresse du serveur Kite de ton école.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server address; it looks like kite.school.org:8080 or https://kite.school.org.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une adresse de serveur&#xa0;; une adresse ressemble à kite.school.org:8080 ou https://kite.school.org.</translation>
    </message>
    <message>
        <source>Type the enrollment code your school gave you.</source>
        <translation>Saisis le code d’inscription que ton école t’a donné.</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>Connexion impossible&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>kite::ui::SignIn</name>
    <message>
        <source>The learners cannot be read: %1</source>
        <translation>Impossible de lire la liste des élèves&#xa0;: %1</translation>
    </message>
    <message>
        <source>No such learner on this device.</source>
        <translation>Cet élève n’existe pas sur cet appareil.</translation>
    </message>
    <message>
        <source>The PIN cannot be checked: %1</source>
        <translation>Impossible de vérifier le code PIN&#xa0;: %1</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Ce code PIN n’est pas le bon.</translation>
    </message>
</context>
<context>
    <name>kite::ui::SyncIndicator</name>
    <message>
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>il y a %n&#xa0;min</numerusform>
            <numerusform>il y a %n&#xa0;min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>il y a %n&#xa0;h</numerusform>
            <numerusform>il y a %n&#xa0;h</numerusform>
        </translation>
    </message>
    <message>
        <source>On this device only</source>
        <translation>Sur cet appareil seulement</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n en attente</numerusform>
            <numerusform>%n en attente</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline · %1</source>
        <translation>Hors ligne · %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Downloading %1 · %2%</source>
        <translation>Téléchargement de %1 · %2&#xa0;%</translation>
    </message>
    <message>
        <source>Syncing · %1</source>
        <translation>Synchronisation · %1</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Up to date · %1</source>
        <translation>À jour · %1</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Sync paused · %1</source>
        <translation>Synchronisation suspendue · %1</translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation>Synchronisation suspendue</translation>
    </message>
    <message>
        <source>Not connected to the school: enroll again</source>
        <translation>Plus relié à l’école&#xa0;: inscrire à nouveau l’appareil</translation>
    </message>
    <message>
        <source>Sync problem · %1</source>
        <translation>Problème de synchronisation · %1</translation>
    </message>
    <message>
        <source>Sync problem</source>
        <translation>Problème de synchronisation</translation>
    </message>
    <message>
        <source>This device is not connected to a school server: answers stay here.</source>
        <translation>Cet appareil n’est relié à aucun serveur d’école&#xa0;: les réponses restent ici.</translation>
    </message>
    <message>
        <source>Last synced %1.</source>
        <translation>Dernière synchronisation&#xa0;: %1.</translation>
    </message>
    <message>
        <source>Not synced with the school yet.</source>
        <translation>Pas encore synchronisé avec l’école.</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) kept on this device until the school has them.</source>
        <translation>
            <numerusform>%n réponse gardée sur cet appareil jusqu’à ce que l’école la reçoive.</numerusform>
            <numerusform>%n réponses gardées sur cet appareil jusqu’à ce que l’école les reçoive.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) the school refused are kept aside.</source>
        <translation>
            <numerusform>%n événement refusé par l’école est mis de côté.</numerusform>
            <numerusform>%n événements refusés par l’école sont mis de côté.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kite::ui::TeacherModel</name>
    <message>
        <source>teacher mode needs the school server: this device has none</source>
        <translation>le mode enseignant a besoin du serveur de l’école&#xa0;: cet appareil n’en a pas</translation>
    </message>
    <message>
        <source>paste the teacher token the school&apos;s admin gave you</source>
        <translation>colle le jeton enseignant que l’administrateur de l’école t’a donné</translation>
    </message>
    <message>
        <source>the teacher token could not be kept on this device: %1</source>
        <translation>le jeton enseignant n’a pas pu être gardé sur cet appareil&#xa0;: %1</translation>
    </message>
</context>
</TS>
