<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>HistoryChart</name>
    <message numerus="yes">
        <source>Mastery over %n answer(s): </source>
        <translation>
            <numerusform>Mastery over %n answer: </numerusform>
            <numerusform>Mastery over %n answers: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n answer</numerusform>
            <numerusform>%n answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n answer</numerusform>
            <numerusform>%n answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeacherPage</name>
    <message numerus="yes">
        <source>Closed: %n answer(s)</source>
        <translation>
            <numerusform>Closed: %n answer</numerusform>
            <numerusform>Closed: %n answers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open: %n answer(s) so far</source>
        <translation>
            <numerusform>Open: %n answer so far</numerusform>
            <numerusform>Open: %n answers so far</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n answer(s)</source>
        <translation>
            <numerusform>%1: %n answer</numerusform>
            <numerusform>%1: %n answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kite::ui::LibraryModel</name>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>(and %n more)</numerusform>
            <numerusform>(and %n more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kite::ui::SyncIndicator</name>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) kept on this device until the school has them.</source>
        <translation>
            <numerusform>%n answer kept on this device until the school has them.</numerusform>
            <numerusform>%n answers kept on this device until the school has them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) the school refused are kept aside.</source>
        <translation>
            <numerusform>%n event the school refused is kept aside.</numerusform>
            <numerusform>%n events the school refused are kept aside.</numerusform>
        </translation>
    </message>
</context>
</TS>
