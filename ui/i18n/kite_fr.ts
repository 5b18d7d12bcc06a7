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
    <message>
        <source>computed %1</source>
        <translation>calculé %1</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n réponse</numerusform>
            <numerusform>%n réponses</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Student</source>
        <translation>Élève</translation>
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
    <name>kite::ui::LibraryModel</name>
    <message>
        <source>The library cannot be read: %1</source>
        <translation>Impossible de lire la bibliothèque&#xa0;: %1</translation>
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
</TS>
